import { describe, expect, it } from "vitest";
import { HashTable, MAX_BUCKETS } from "./hash-table.js";
import { TupleError } from "./tuple-error.js";

const sameNumber = (a: number, b: number) => a === b;
const hashes: Array<[string, (k: number) => number]> = [
  ["identity", (k) => k],
  ["constant (silly)", () => 0],
  ["one bit (less_silly)", (k) => k & 1],
];

describe.each(hashes)("HashTable with a %s hash (table_test)", (_, hash) => {
  const N = 512;
  const filled = () => {
    const t = new HashTable<number, number>(hash, sameNumber);
    for (let k = 0; k < N; k++) t.set(k, k + 1);
    return t;
  };

  it("starts empty", () => {
    const t = new HashTable<number, number>(hash, sameNumber);
    expect([t.count, t.get(0), [...t]]).toEqual([0, undefined, []]);
  });

  it("visits every entry once with its value, and finds each", () => {
    const t = filled();
    const seen = new Map<number, number>();
    t.forEach((v, k) => void seen.set(k, v!));
    expect(seen.size).toBe(N);
    for (let k = 0; k < N; k++) {
      expect(seen.get(k)).toBe(k + 1);
      expect(t.get(k)).toBe(k + 1);
    }
    expect(t.count).toBe(N);
    expect(t.get(N)).toBeUndefined();
    t.validate();
  });

  it("refuses setNoReplace on a present key, deletes on set(k, undefined), returns values on remove", () => {
    const t = filled();
    expect(t.setNoReplace(5, 99)).toBe(false);
    expect(t.get(5)).toBe(6);
    t.set(5, undefined);
    expect([t.get(5), t.count]).toEqual([undefined, N - 1]);
    expect(t.remove(6)).toBe(7);
    expect(t.remove(6)).toBeUndefined();
    expect(t.setNoReplace(5, 50)).toBe(true);
    expect(t.get(5)).toBe(50);
    t.validate();
  });

  it("empties when removing forwards then backwards", () => {
    const t = filled();
    for (let k = 0; k < N / 2; k++) expect(t.remove(k)).toBe(k + 1);
    for (let k = N - 1; k >= N / 2; k--) expect(t.remove(k)).toBe(k + 1);
    expect(t.count).toBe(0);
    t.validate();
  });
});

describe("HashTable behaviours (DATA-STRUCTURES §7, §10.8)", () => {
  it("keeps the first key object on update: constant hash and always-true equality hold one entry", () => {
    const t = new HashTable<{ id: number }, number>(() => 7, () => true);
    const first = { id: 1 };
    t.set(first, 1);
    for (let i = 2; i <= 10; i++) t.set({ id: i }, i);
    expect(t.count).toBe(1);
    expect([...t]).toEqual([[first, 10]]);
    expect([...t.keys()][0]).toBe(first);
  });

  it("stores an absent value through setNoReplace, as Nanos stores 0", () => {
    const t = new HashTable<string, number>((s) => s.length, (a, b) => a === b);
    expect(t.setNoReplace("k", undefined)).toBe(true);
    expect([t.count, t.get("k"), t.has("k")]).toEqual([1, undefined, true]);
    t.set("k", undefined);
    expect(t.count).toBe(0);
  });

  it("doubles when an insert finds more entries than buckets, and reverses chains when it does", () => {
    const t = new HashTable<string, number>(() => 0, (a, b) => a === b);
    for (const k of ["a", "b", "c", "d", "e"]) t.set(k, 1);
    expect(t.bucketCount).toBe(4);
    expect([...t.keys()]).toEqual(["a", "b", "c", "d", "e"]); // tail insertion
    t.set("f", 1);
    expect(t.bucketCount).toBe(8);
    expect([...t.keys()]).toEqual(["f", "e", "d", "c", "b", "a"]);
  });

  it("uses only the low bits of the hash but compares whole hashes", () => {
    let comparisons = 0;
    const t = new HashTable<number, number>((k) => k * 2 ** 32, (a, b) => (comparisons++, a === b));
    for (let k = 1; k <= 100; k++) t.set(k, k);
    comparisons = 0;
    expect(t.get(50)).toBe(50);
    expect(comparisons).toBe(1);
    expect(t.bucketCount).toBe(128);
  });

  it("treats a NaN or infinite hash as a constant instead of losing entries", () => {
    const t = new HashTable<number, number>((k) => (k % 2 === 0 ? NaN : Infinity), sameNumber);
    for (let k = 0; k < 20; k++) t.set(k, k);
    for (let k = 0; k < 20; k++) t.set(k, k + 1);
    expect(t.count).toBe(20);
    expect(t.get(7)).toBe(8);
    t.validate();
  });

  it("stops growing at MAX_BUCKETS", () => {
    const t = new HashTable<number, number>((k) => k, sameNumber);
    for (let k = 0; k < 2 * MAX_BUCKETS + 10; k++) t.set(k, 1);
    expect(t.bucketCount).toBe(MAX_BUCKETS);
    t.validate();
  });

  it("survives deleting the current and other entries during a walk", () => {
    const t = new HashTable<number, number>((k) => k & 3, sameNumber);
    for (let k = 0; k < 64; k++) t.set(k, k);
    const visited: number[] = [];
    t.forEach((_, k) => {
      visited.push(k);
      t.remove(k);
      t.remove(k ^ 4); // a later entry of the same chain, or one already visited
    });
    expect(t.count).toBe(0);
    expect(visited.length).toBe(32);
    expect(new Set(visited.map((k) => Math.min(k, k ^ 4))).size).toBe(32);
  });

  it("stops a walk when the handler returns false", () => {
    const t = new HashTable<number, number>((k) => k, sameNumber);
    for (let k = 0; k < 10; k++) t.set(k, k);
    let calls = 0;
    expect(t.forEach(() => (calls++, false))).toBe(false);
    expect(calls).toBe(1);
  });

  it("preallocated: fixed buckets, and one entry too many throws", () => {
    const t = new HashTable<number, number>((k) => k, sameNumber, { preallocate: 16 });
    for (let k = 0; k < 16; k++) t.set(k, k);
    expect(t.bucketCount).toBe(16);
    expect(() => t.set(16, 16)).toThrow(TupleError);
    expect(() => new HashTable<number, number>((k) => k, sameNumber, { preallocate: 12 })).toThrow(/power of two/);
  });

  it("clear empties but keeps its buckets", () => {
    const t = new HashTable<number, number>((k) => k, sameNumber);
    for (let k = 0; k < 100; k++) t.set(k, k);
    const buckets = t.bucketCount;
    t.clear();
    expect([t.count, t.bucketCount, t.get(3)]).toEqual([0, buckets, undefined]);
    t.validate();
  });
});
