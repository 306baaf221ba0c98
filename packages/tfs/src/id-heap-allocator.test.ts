import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdHeapAllocator } from "./id-heap-allocator.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { Tfs } from "./tfs.js";

const allocator = (n: number): IdHeapAllocator => new IdHeapAllocator(n);

describe("IdHeapAllocator (the @nanots/heap id heap behind SectorAllocator)", () => {
  it("never hands out a used sector and counts free space, under random use", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ take: fc.integer({ min: 1, max: 40 }), part: fc.boolean() }), fc.record({ give: fc.nat() })), { maxLength: 80 }),
        (ops) => {
          const a = new IdHeapAllocator(256);
          const used = new Array<boolean>(256).fill(false);
          const held: Array<[number, number]> = [];
          for (const o of ops) {
            if ("take" in o) {
              const run = o.part ? a.allocatePart(o.take) : ((s) => (s === undefined ? undefined : { start: s, count: o.take }))(a.allocate(o.take));
              if (run === undefined) continue;
              for (let i = run.start; i < run.start + run.count; i++) {
                expect(used[i]).toBe(false);
                used[i] = true;
              }
              held.push([run.start, run.count]);
            } else if (held.length > 0) {
              const [start, count] = held.splice(o.give % held.length, 1)[0]!;
              a.free(start, count);
              for (let i = start; i < start + count; i++) used[i] = false;
            }
            expect(a.freeSectors).toBe(used.filter((u) => !u).length);
          }
        },
      ),
    );
  });

  it("runs a filesystem: writes, frees and remounts", () => {
    const device = new MemoryBlockDevice(65536);
    const fs = Tfs.format(device, { allocator });
    fs.mkdir("/d");
    for (let i = 0; i < 20; i++) fs.writeFile(`/d/f${i}`, new Uint8Array(1000 * i + 1).fill(i));
    for (let i = 0; i < 20; i += 2) fs.unlink(`/d/f${i}`);
    fs.sync();
    const again = Tfs.mount(device, { allocator });
    expect(again.readdir("/d").length).toBe(10);
    again.writeFile("/d/f1", "rewritten");
    again.sync();
    const last = Tfs.mount(device, { allocator });
    expect(new TextDecoder().decode(last.readFile("/d/f1"))).toBe("rewritten");
    expect(last.readFile("/d/f19")).toEqual(new Uint8Array(19001).fill(19));
  });

  it("aligns like Nanos's id heap, so it does not reproduce the layout of Nanos-made images", () => {
    // Nanos's own images: first log extension at sector 1, file data from sector 3073
    // (fixtures; FirstFitAllocator reproduces that). The id heap aligns 1024-sector areas.
    const fs = Tfs.format(new MemoryBlockDevice(65536), { allocator });
    fs.writeFile("/f", "x");
    expect(fs.logExtensions[1]!.start).toBe(1024);
  });
});
