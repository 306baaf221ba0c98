import { describe, expect, it } from "vitest";
import { ExtentMap } from "./extent-map.js";
import type { Extent } from "./file-extents.js";
import { TfsError } from "./tfs-error.js";

const ext = (fileSector: number, length: number, disk: number): Extent => ({ fileSector, length, disk, allocated: length, uninited: false });

describe("ExtentMap", () => {
  it("finds extents by file sector, in order, and grows one in place", () => {
    const map = ExtentMap.from([ext(10, 5, 100), ext(0, 4, 200), ext(4, 0, 300)], "/f");
    expect(map.overlapping(0, 100).map((e) => e.fileSector)).toEqual([0, 10]);
    expect(map.overlapping(4, 10)).toEqual([]);
    expect(map.at(12)?.disk).toBe(100);
    expect(map.at(5)).toBeUndefined();
    expect(map.endingAt(15)?.fileSector).toBe(10);
    expect(map.endingAt(14)).toBeUndefined();
    map.grow(map.at(10)!, 3);
    expect([map.at(17)?.length, map.at(17)?.allocated]).toEqual([8, 8]);
    // The empty extent covers nothing but still holds its space.
    expect(map.all().map((e) => e.disk).sort()).toEqual([100, 200, 300]);
  });

  it("extents of one file that overlap are a TfsError", () => {
    expect(() => ExtentMap.from([ext(0, 8, 100), ext(4, 8, 200)], "/f")).toThrow(TfsError);
    expect(() => ExtentMap.from([ext(0, 8, 100), ext(4, 8, 200)], "/f")).toThrow("file /f: extents overlap at file sector 4");
  });
});
