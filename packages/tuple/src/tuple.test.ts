import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ByteString } from "./byte-string.js";
import { NULL_VALUE } from "./null-value.js";
import { printValue } from "./print-value.js";
import { findSymbol, intern } from "./symbol.js";
import { cloneValue, Tuple } from "./tuple.js";
import { TupleError } from "./tuple-error.js";
import { U64_MAX, type Vector } from "./value.js";

describe("Tuple (tuple_test)", () => {
  it("integer attributes and numeric-string attributes alias the same symbol", () => {
    const t = new Tuple();
    t.set(1, "one");
    expect(t.get("1")).toBe("one");
    expect(t.get(intern("1"))).toBe("one");
    expect(t.get(1n)).toBe("one");
    t.set("2", "two");
    expect(t.get(2)).toBe("two");
    t.set(U64_MAX, "max");
    expect(t.get("18446744073709551615")).toBe("max");
    expect(t.count).toBe(3);
  });

  it("looks attributes up without interning names it has never seen", () => {
    const t = Tuple.from({ present: "x" });
    const probe = "never-interned-name-8b1f";
    expect([t.get(probe), t.has(probe), t.delete(probe), t.set(probe, undefined).count]).toEqual([undefined, false, false, 1]);
    expect(t.get(987654321987)).toBeUndefined();
    expect(findSymbol(probe)).toBeUndefined();
    expect(findSymbol("987654321987")).toBeUndefined();
    t.set(probe, 1);
    expect(findSymbol(probe)).toBe(intern(probe));
    expect(findSymbol("lone\uD800")).toBeUndefined();
    expect(findSymbol("lone\uD800")).toBe(findSymbol("lone\uFFFD"));
    const replaced = intern("lone\uFFFD");
    expect(findSymbol("lone\uD800")).toBe(replaced);
  });

  it("rejects attributes that are neither names nor unsigned integers", () => {
    const t = new Tuple();
    expect(() => t.set(-1, "x")).toThrow(TupleError);
    expect(() => t.get(1.5)).toThrow(TupleError);
    expect(() => t.get(U64_MAX + 1n)).toThrow(TupleError);
  });

  it("setting absent deletes; null is a present value", () => {
    const t = Tuple.from({ a: "x", flag: null });
    expect(t.get("flag")).toBe(NULL_VALUE);
    t.set("a", undefined);
    expect([t.has("a"), t.count]).toEqual([false, 1]);
    expect(t.delete("flag")).toBe(true);
    expect(t.delete("flag")).toBe(false);
  });

  it("typed getters return undefined on a type mismatch", () => {
    const t = Tuple.from({ s: "str", t: {}, v: ["a"], n: 5 });
    expect([t.getString("s"), t.getString("t"), t.getTuple("t")?.count, t.getTuple("v"), t.getVector("v"), t.getVector("s")]).toEqual(["str", undefined, 0, undefined, ["a"], undefined]);
  });

  it("number getters read integers and decimal text, within their ranges", () => {
    const t = Tuple.from({
      int: 3073,
      big: U64_MAX,
      neg: -5,
      text: "1048579",
      v4: new ByteString(new TextEncoder().encode("4096")),
      junk: "12a",
      empty: "",
    });
    expect([t.getNumber("int"), t.getNumber("text"), t.getNumber("v4"), t.getNumber("junk"), t.getNumber("empty"), t.getNumber("big")]).toEqual([3073, 1048579, 4096, undefined, undefined, undefined]);
    expect([t.getU64("big"), t.getU64("neg"), t.getS64("neg"), t.getS64("big")]).toEqual([U64_MAX, undefined, -5n, undefined]);
  });

  it("finds the attribute holding a value (tuple_get_symbol)", () => {
    const child = new Tuple();
    const t = Tuple.from({ a: "x", b: child });
    expect(t.symbolOf(child)).toBe(intern("b"));
    expect(t.symbolOf(new Tuple())).toBeUndefined();
  });

  it("clone copies nested tuples and vectors, sharing no composite, keeping inner sharing and cycles", () => {
    const shared = Tuple.from({ k: "v" });
    const list: Vector = ["a", shared];
    const t = Tuple.from({ list, one: shared, n: 7 });
    t.set("self", t);
    const copy = t.clone();
    expect(printValue(copy)).toBe(printValue(t));
    expect(copy).not.toBe(t);
    expect(copy.get("list")).not.toBe(list);
    expect(copy.get("one")).not.toBe(shared);
    expect((copy.get("list") as Vector)[1]).toBe(copy.get("one"));
    expect(copy.get("self")).toBe(copy);
    shared.set("k", "changed");
    expect(copy.getTuple("one")!.get("k")).toBe("v");
  });

  it("clones a scalar as itself", () => {
    expect(cloneValue("x")).toBe("x");
    expect(cloneValue(NULL_VALUE)).toBe(NULL_VALUE);
  });

  it("iterates in insertion order, with symbols as keys", () => {
    const t = Tuple.from({ b: "1", a: "2" });
    expect([...t].map(([k, v]) => [k.name, v])).toEqual([["b", "1"], ["a", "2"]]);
    expect([...t.keys()].map(String)).toEqual(["b", "a"]);
    expect([...t.values()]).toEqual(["1", "2"]);
    t.clear();
    expect(t.count).toBe(0);
  });

  it("shows itself in Nanos's print form", () => {
    const t = Tuple.from({ b: { c: "d" }, a: 1 });
    expect(String(t)).toBe("(a:1 b:(c:d))");
    expect(inspect(t)).toBe("Tuple (a:1 b:(c:d))");
  });

  it("1000 entries round trip through Tuple.from and clone", () => {
    const init: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) init[`k${i}`] = i;
    const t = Tuple.from(init).clone();
    expect(t.count).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(t.get(`k${i}`)).toBe(i);
  });
});
