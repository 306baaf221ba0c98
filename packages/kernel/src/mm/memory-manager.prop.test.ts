// Random sequences of memory syscalls against a model of 64 pages: which pages are mapped,
// with what protection and contents. The model follows Linux's rules (mprotect up to a hole,
// mremap within one vma, growth in place only at a vma's end), and vmaps must stay merged:
// two neighbours that nothing tells apart would be one vma on Linux.
import { Cpu } from "@nanots/x86";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressSpace } from "./address-space.js";
import { FrameAllocator } from "./frames.js";
import { MapFlag, MemoryManager } from "./memory-manager.js";
import { Prot } from "./vmap.js";

const PAGE = 4096;
const PAGES = 64;
const BASE = 0x100000;
const ENOMEM = -12;
const EINVAL = -22;
const EFAULT = -14;
const MAYMOVE_FIXED = 3;
const at = (page: number): number => BASE + page * PAGE;

/** One page of the model: its protection (undefined: unmapped) and its first byte. */
interface Page { prot: number | undefined; byte: number }

type Op =
  | { op: "mmap"; page: number; count: number; prot: number }
  | { op: "munmap"; page: number; count: number }
  | { op: "mprotect"; page: number; count: number; prot: number }
  | { op: "write"; page: number; byte: number }
  | { op: "dontneed"; page: number; count: number }
  | { op: "mremap"; page: number; count: number; newCount: number }
  | { op: "move"; page: number; count: number; to: number; newCount: number };

const page = fc.integer({ min: 0, max: PAGES - 1 });
const count = fc.integer({ min: 1, max: 8 });
const prot = fc.constantFrom(Prot.None, Prot.Read, Prot.Read | Prot.Write);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("mmap" as const), page, count, prot }),
  fc.record({ op: fc.constant("munmap" as const), page, count }),
  fc.record({ op: fc.constant("mprotect" as const), page, count, prot }),
  fc.record({ op: fc.constant("write" as const), page, byte: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant("dontneed" as const), page, count }),
  fc.record({ op: fc.constant("mremap" as const), page, count, newCount: count }),
  fc.record({ op: fc.constant("move" as const), page, count, to: page, newCount: count }),
);

class Model {
  readonly pages: Page[] = Array.from({ length: PAGES }, () => ({ prot: undefined, byte: 0 }));

  private fits(p: number, n: number): boolean {
    return p + n <= PAGES;
  }

  /** The end of the vma holding page p: the run of pages with p's protection. */
  private vmaEnd(p: number): number {
    let e = p;
    while (e < PAGES && this.pages[e]!.prot !== undefined && this.pages[e]!.prot === this.pages[p]!.prot) e++;
    return e;
  }

  private set(p: number, n: number, prot: number | undefined): void {
    for (let i = p; i < p + n; i++) this.pages[i] = { prot, byte: 0 };
  }

  apply(o: Op): number | "skip" {
    switch (o.op) {
      case "mmap":
        if (!this.fits(o.page, o.count)) return "skip";
        this.set(o.page, o.count, o.prot);
        return at(o.page);
      case "munmap":
        if (!this.fits(o.page, o.count)) return "skip";
        this.set(o.page, o.count, undefined);
        return 0;
      case "mprotect": {
        if (!this.fits(o.page, o.count)) return "skip";
        for (let i = o.page; i < o.page + o.count; i++) {
          if (this.pages[i]!.prot === undefined) return ENOMEM;
          this.pages[i]!.prot = o.prot;
        }
        return 0;
      }
      case "write": {
        const p = this.pages[o.page]!;
        if (p.prot === undefined || (p.prot & Prot.Write) === 0) return 0; // refused: checked as false
        p.byte = o.byte;
        return 1;
      }
      case "dontneed": {
        if (!this.fits(o.page, o.count)) return "skip";
        let hole = false;
        for (let i = o.page; i < o.page + o.count; i++) {
          if (this.pages[i]!.prot === undefined) hole = true;
          else this.pages[i]!.byte = 0;
        }
        return hole ? ENOMEM : 0;
      }
      case "mremap": {
        if (!this.fits(o.page, Math.max(o.count, o.newCount))) return "skip";
        if (this.pages[o.page]!.prot === undefined || this.vmaEnd(o.page) < o.page + o.count) return EFAULT;
        if (o.newCount <= o.count) {
          this.set(o.page + o.newCount, o.count - o.newCount, undefined);
          return at(o.page);
        }
        const end = o.page + o.count;
        const free = this.pages.slice(end, o.page + o.newCount).every((x) => x.prot === undefined);
        if (this.vmaEnd(o.page) !== end || !free) return ENOMEM;
        this.set(end, o.newCount - o.count, this.pages[o.page]!.prot);
        return at(o.page);
      }
      case "move": {
        if (!this.fits(o.page, o.count) || !this.fits(o.to, o.newCount)) return "skip";
        if (o.to < o.page + o.count && o.page < o.to + o.newCount) return EINVAL;
        if (this.pages[o.page]!.prot === undefined || this.vmaEnd(o.page) < o.page + o.count) return EFAULT;
        const moved = this.pages.slice(o.page, o.page + Math.min(o.count, o.newCount)).map((x) => ({ ...x }));
        const prot = this.pages[o.page]!.prot;
        this.set(o.page, o.count, undefined);
        this.set(o.to, o.newCount, prot);
        moved.forEach((x, i) => (this.pages[o.to + i] = x));
        return at(o.to);
      }
    }
  }
}

function run(mm: MemoryManager, space: AddressSpace, o: Op): number {
  switch (o.op) {
    case "mmap": return mm.mmap(at(o.page), o.count * PAGE, o.prot, MapFlag.Private | MapFlag.Anonymous | MapFlag.Fixed, undefined, 0);
    case "munmap": return mm.munmap(at(o.page), o.count * PAGE);
    case "mprotect": return mm.mprotect(at(o.page), o.count * PAGE, o.prot);
    case "write": return space.write(at(o.page), Uint8Array.of(o.byte)) ? 1 : 0;
    case "dontneed": return mm.madvise(at(o.page), o.count * PAGE, 4);
    case "mremap": return mm.mremap(at(o.page), o.count * PAGE, o.newCount * PAGE, 0, 0);
    case "move": return mm.mremap(at(o.page), o.count * PAGE, o.newCount * PAGE, MAYMOVE_FIXED, at(o.to));
  }
}

describe("memory syscalls against a model", () => {
  it("agree on results, mappings, protections and contents, and keep vmaps merged", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const cpu = new Cpu({ memoryBytes: 8 << 20 });
        const space = new AddressSpace(cpu, new FrameAllocator(PAGE, 8 << 20));
        const mm = new MemoryManager(space, { mmapMin: 0x10000, mmapTop: 0x4000_0000, brkStart: 0x1000_0000, brkLimit: 0x2000_0000 });
        const model = new Model();
        for (const o of ops) {
          const expected = model.apply(o);
          if (expected === "skip") continue;
          expect(run(mm, space, o), JSON.stringify(o)).toBe(expected);
        }
        for (let p = 0; p < PAGES; p++) {
          const want = model.pages[p]!;
          const v = space.vmaps.lookup(at(p));
          expect(v?.prot, `page ${p}`).toBe(want.prot);
          if (want.prot !== undefined && (want.prot & Prot.Read) !== 0) expect(space.read(at(p), 1)![0], `page ${p}`).toBe(want.byte);
        }
        const vmaps = [...space.vmaps];
        for (let i = 1; i < vmaps.length; i++) {
          const [a, b] = [vmaps[i - 1]!, vmaps[i]!];
          expect(a.end === b.start && a.prot === b.prot, `unmerged at ${b.start.toString(16)}`).toBe(false);
        }
      }),
      { numRuns: Number(process.env.NANOTS_MM_RUNS ?? 300) },
    );
  });
});
