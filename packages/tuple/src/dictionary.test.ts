import { describe, expect, it } from "vitest";
import { Dictionary } from "./dictionary.js";
import { intern } from "./symbol.js";
import { Tuple } from "./tuple.js";

describe("Dictionary", () => {
  it("numbers from 1 in recording order, for encoder and decoder paths alike", () => {
    const d = new Dictionary();
    const a = new Tuple();
    const s = intern("name");
    const v: [] = [];
    expect([d.record(a), d.recordDecoded(s), d.record(v)]).toEqual([1, 2, 3]);
    expect([d.get(1), d.get(2), d.get(3), d.get(0), d.get(4)]).toEqual([a, s, v, undefined, undefined]);
    expect([d.indexOf(a), d.indexOf(s), d.indexOf(v), d.indexOf(new Tuple())]).toEqual([1, 2, 3, undefined]);
    expect(d.size).toBe(3);
  });

  it("gives a second index to an object recorded twice, and looks it up by its first", () => {
    const d = new Dictionary();
    const s = intern("dup");
    d.recordDecoded(s);
    d.recordDecoded(intern("other"));
    d.recordDecoded(s);
    expect([d.size, d.get(3), d.indexOf(s)]).toEqual([3, s, 1]);
    expect(d.record(new Tuple())).toBe(4);
  });
});
