import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { IdHeap } from "./id-heap.js";
import { Mcache, UNKNOWN_SIZE } from "./mcache.js";
import { countingHeap } from "./test-heaps.js";

const PAGE = 4096;

function make(mallocStyle: boolean, errors: string[] = []) {
  const parent = countingHeap(IdHeap.create(0, 1024 * PAGE, { pagesize: PAGE }));
  const mcache = new Mcache({ parent, minOrder: 3, maxOrder: 10, pagesize: PAGE, mallocStyle, onError: (m) => errors.push(m) });
  return { parent, mcache };
}

describe("Mcache", () => {
  it("serves each request from the first class that fits and counts class sizes", () => {
    const { mcache } = make(false);
    expect(mcache.pagesize).toBe(8);
    const sizes = [0, 1, 8, 9, 16, 100, 1024];
    const classes = [8, 8, 8, 16, 16, 128, 1024];
    let expected = 0;
    for (const [i, size] of sizes.entries()) {
      expect(mcache.alloc(size)).not.toBe(INVALID);
      expected += classes[i]!;
      expect(mcache.allocated()).toBe(expected);
    }
    const info = mcache.management();
    expect(Object.keys(info["caches"] as object)).toEqual(["8", "16", "32", "64", "128", "256", "512", "1024"]);
  });

  it("sends requests above the largest class to the parent, rounded to its pagesize", () => {
    const { mcache, parent } = make(false);
    const p = mcache.alloc(1025);
    expect(p % PAGE).toBe(0);
    expect(parent.allocated()).toBe(PAGE);
    expect(mcache.allocated()).toBe(PAGE);
    expect(mcache.dealloc(p, 1025)).toBe(true);
    expect(parent.allocated()).toBe(0);
  });

  it("malloc style: frees with size -1 find parent blocks in the table and objects through their footer", () => {
    const { mcache, parent } = make(true);
    const small = mcache.alloc(24);
    const large = mcache.alloc(3 * PAGE + 1);
    expect(mcache.dealloc(large, UNKNOWN_SIZE)).toBe(true);
    expect(mcache.dealloc(small, UNKNOWN_SIZE)).toBe(true);
    expect(mcache.allocated()).toBe(0);
    mcache.destroy();
    expect(parent.allocated()).toBe(0);
  });

  it("leaks, with a diagnostic, a free larger than the owning class or of an unknown address", () => {
    const errors: string[] = [];
    const { mcache } = make(true, errors);
    const p = mcache.alloc(16);
    expect(mcache.dealloc(p, 17)).toBe(false);
    expect(mcache.dealloc(900 * PAGE, 8)).toBe(false);
    expect(mcache.dealloc(900 * PAGE, UNKNOWN_SIZE)).toBe(false);
    expect(errors).toHaveLength(3);
    expect(mcache.dealloc(p, 9)).toBe(true);
  });

  it("rejects orders and page sizes Nanos rejects", () => {
    const parent = IdHeap.create(0, 64 * PAGE, { pagesize: PAGE });
    expect(() => new Mcache({ parent, minOrder: 4, maxOrder: 3, pagesize: PAGE })).toThrow(RangeError);
    expect(() => new Mcache({ parent, minOrder: 3, maxOrder: 12, pagesize: PAGE })).toThrow(RangeError);
    expect(() => new Mcache({ parent, minOrder: 3, maxOrder: 5, pagesize: PAGE / 2 })).toThrow(RangeError);
  });

  it("destroy returns class pages and recorded parent blocks", () => {
    const { mcache, parent } = make(true);
    for (let i = 0; i < 100; i++) mcache.alloc(i * 13);
    mcache.alloc(5 * PAGE);
    mcache.destroy();
    expect(parent.allocated()).toBe(0);
  });
});
