import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { RegularFileDescription, Vfs } from "@nanots/syscalls";
import { Cpu } from "@nanots/x86";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressSpace } from "./address-space.js";
import { FrameAllocator } from "./frames.js";
import { MapFlag, MemoryManager } from "./memory-manager.js";
import { SharedFilePages } from "./shared-file-pages.js";
import { Prot } from "./vmap.js";

const PAGE = 4096;
const SPAN = 4 * PAGE;

/** One step: a store through a mapping, a pwrite or truncate through a description, or a write-back. */
type Step =
  | { kind: "store"; mapping: number; at: number; value: number; length: number }
  | { kind: "pwrite"; desc: number; at: number; value: number; length: number }
  | { kind: "truncate"; desc: number; size: number }
  | { kind: "msync" | "sync" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("store" as const), mapping: fc.nat(1), at: fc.nat(SPAN - 1), value: fc.integer({ min: 1, max: 255 }), length: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant("pwrite" as const), desc: fc.nat(1), at: fc.nat(SPAN - 1), value: fc.integer({ min: 1, max: 255 }), length: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant("truncate" as const), desc: fc.nat(1), size: fc.nat(SPAN) }),
  fc.record({ kind: fc.constantFrom("msync" as const, "sync" as const) }),
);

describe("shared file pages (property)", () => {
  it("keep two mappings, two opens and the file's reads in agreement with one byte array", () => {
    // One CPU for all runs (making one is the slow part); each run has fresh frames and page tables.
    const cpu = new Cpu({ memoryBytes: 2 << 20 });
    fc.assert(
      fc.property(fc.oneof(fc.nat(300), fc.nat(SPAN)), fc.array(step, { maxLength: 25 }), (initial, steps) => {
        const space = new AddressSpace(cpu, new FrameAllocator(PAGE, 2 << 20));
        const mm = new MemoryManager(space, { mmapMin: 0x10000, mmapTop: 0x4000_0000, brkStart: 0x1000_0000, brkLimit: 0x2000_0000 });
        const fs = Tfs.format(new MemoryBlockDevice(2 ** 20));
        fs.writeFile("/f", new Uint8Array(initial).fill(7));
        const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n), programPath: "/bin/app" });
        const descs = [0, 1].map(() => vfs.open("/", "/f", 2) as RegularFileDescription);
        // The model: the bytes every view shows; those past `size` (in its last page) only mappings see.
        const model = new Uint8Array(2 * SPAN);
        model.fill(7, 0, initial);
        let size = initial;
        const zeroFrom = (at: number) => model.fill(0, at);
        // Mapping 0 covers the whole span via open 0; mapping 1 the middle two pages via open 1.
        const maps = [
          { at: mm.mmap(0, SPAN, Prot.Read | Prot.Write, MapFlag.Shared, { source: SharedFilePages.of(descs[0]!.file, space), name: "/f", writable: true }, 0), offset: 0, length: SPAN },
          { at: mm.mmap(0, 2 * PAGE, Prot.Read | Prot.Write, MapFlag.Shared, { source: SharedFilePages.of(descs[1]!.file, space), name: "/f", writable: true }, PAGE), offset: PAGE, length: 2 * PAGE },
        ];
        (descs[0]!.file.pages as SharedFilePages).allowStores();
        const pageEnd = () => Math.ceil(size / PAGE) * PAGE;
        for (const s of steps) {
          if (s.kind === "store") {
            const m = maps[s.mapping]!;
            const at = s.at % m.length;
            const length = Math.min(s.length, m.length - at);
            const ok = space.write(m.at + at, new Uint8Array(length).fill(s.value));
            // A store reaches only pages that exist: all of it or (kernel copies check first) none.
            expect(ok).toBe(m.offset + at + length <= pageEnd());
            if (ok) model.fill(s.value, m.offset + at, m.offset + at + length);
          } else if (s.kind === "pwrite") {
            descs[s.desc]!.pwrite(new Uint8Array(s.length).fill(s.value), s.at);
            if (s.at + s.length > size) zeroFrom(size);
            model.fill(s.value, s.at, s.at + s.length);
            size = Math.max(size, s.at + s.length);
          } else if (s.kind === "truncate") {
            descs[s.desc]!.truncate(s.size);
            zeroFrom(Math.min(size, s.size));
            size = s.size;
          } else if (s.kind === "msync") expect(mm.msync(maps[0]!.at, SPAN)).toBe(0);
          else vfs.sync();
          // Every view agrees with the model.
          for (const d of descs) expect(d.pread(2 * SPAN, 0)).toEqual(model.subarray(0, size));
          for (const m of maps) {
            for (let page = 0; page < m.length; page += PAGE) {
              const seen = space.read(m.at + page, PAGE);
              if (m.offset + page < pageEnd()) expect(seen).toEqual(model.subarray(m.offset + page, m.offset + page + PAGE));
              else expect(seen).toBeUndefined();
            }
          }
        }
        // After the last unmap the file holds the model's bytes.
        expect(mm.munmap(maps[0]!.at, SPAN)).toBe(0);
        expect(mm.munmap(maps[1]!.at, 2 * PAGE)).toBe(0);
        expect(descs[0]!.file.pages).toBeUndefined();
        expect(fs.read("/f", 0, 2 * SPAN)).toEqual(model.subarray(0, size));
      }),
      { numRuns: 30 },
    );
  });
});
