import { describe, expect, it } from "vitest";
import { OrderedMap } from "./ordered-map.js";

describe("OrderedMap", () => {
  it("is a sorted map with floor/ceiling/min/max", () => {
    const m = new OrderedMap<number, string>(undefined, [
      [20, "twenty"],
      [10, "ten"],
    ]);
    m.set(30, "thirty").set(10, "TEN");
    expect(m.size).toBe(3);
    expect(m.get(10)).toBe("TEN");
    expect(m.floor(15)).toEqual([10, "TEN"]);
    expect(m.ceiling(15)).toEqual([20, "twenty"]);
    expect(m.floor(5)).toBeUndefined();
    expect(m.min()).toEqual([10, "TEN"]);
    expect(m.max()).toEqual([30, "thirty"]);
    expect([...m.keys()]).toEqual([10, 20, 30]);
    expect([...m.values()]).toEqual(["TEN", "twenty", "thirty"]);
    const seen: number[] = [];
    m.forEach((_, k) => seen.push(k));
    expect(seen).toEqual([10, 20, 30]);
    for (const [k] of m) if (k !== 20) m.delete(k); // deleting while iterating is safe
    expect([...m]).toEqual([[20, "twenty"]]);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.max()).toBeUndefined();
  });

  it("takes a custom comparator", () => {
    const m = new OrderedMap<string, number>((a, b) => b.localeCompare(a));
    m.set("a", 1).set("c", 3).set("b", 2);
    expect([...m.keys()]).toEqual(["c", "b", "a"]);
  });
});
