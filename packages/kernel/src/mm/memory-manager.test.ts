import { Cpu } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { AddressSpace } from "./address-space.js";
import { FrameAllocator } from "./frames.js";
import { MapFlag, MemoryManager } from "./memory-manager.js";
import { Prot, type PageSource } from "./vmap.js";

const PAGE = 4096;
const RW = Prot.Read | Prot.Write;
const ANON = MapFlag.Private | MapFlag.Anonymous;
const ENOMEM = -12;
const EINVAL = -22;
const EFAULT = -14;

function setup() {
  const cpu = new Cpu({ memoryBytes: 16 << 20 });
  const frames = new FrameAllocator(PAGE, 16 << 20);
  const space = new AddressSpace(cpu, frames);
  const mm = new MemoryManager(space, { mmapMin: 0x10000, mmapTop: 0x4000_0000, brkStart: 0x1000_0000, brkLimit: 0x2000_0000 });
  return { space, mm, frames };
}

/** A read-only file whose byte i is i * 3 (mod 256). */
const file = (): { source: PageSource; name: string; writable: boolean } => ({
  name: "/f",
  writable: false,
  source: { fill: (offset, dst) => dst.forEach((_, i) => (dst[i] = ((offset + i) * 3) & 0xff)) },
});

describe("vmaps", () => {
  it("merge when nothing tells them apart, as Linux's vmas do", () => {
    const { space, mm } = setup();
    const a = mm.mmap(0x100000, PAGE, RW, ANON | MapFlag.Fixed, undefined, 0);
    mm.mmap(a + PAGE, PAGE, RW, ANON | MapFlag.Fixed, undefined, 0);
    expect(space.overlapping(a, a + 2 * PAGE).length).toBe(1);
    expect(mm.mprotect(a, PAGE, Prot.Read)).toBe(0);
    expect(space.overlapping(a, a + 2 * PAGE).length).toBe(2);
    expect(mm.mprotect(a, PAGE, RW)).toBe(0);
    expect(space.overlapping(a, a + 2 * PAGE).length).toBe(1);
    // The break grows page by page into one [heap].
    for (let i = 1; i <= 4; i++) mm.brk(0x1000_0000 + i * PAGE);
    expect(space.overlapping(0x1000_0000, 0x1000_0000 + 4 * PAGE).length).toBe(1);
  });

  it("mprotect will not make a shared mapping of a read-only file writable (EACCES)", () => {
    const { space, mm } = setup();
    const a = mm.mmap(0x200000, PAGE, Prot.Read, ANON | MapFlag.Fixed, undefined, 0);
    mm.mmap(a + PAGE, PAGE, Prot.Read, MapFlag.Shared | MapFlag.Fixed, file(), 0);
    expect(mm.mprotect(a, 2 * PAGE, RW)).toBe(-13);
    expect(space.vmaps.lookup(a)!.prot).toBe(RW); // the vmap before it changed, as on Linux
    expect(space.vmaps.lookup(a + PAGE)!.prot).toBe(Prot.Read);
    expect(mm.mprotect(a + PAGE, PAGE, Prot.Read | Prot.Exec)).toBe(0);
    const p = mm.mmap(0, PAGE, Prot.Read, MapFlag.Private, file(), 0);
    expect(mm.mprotect(p, PAGE, RW)).toBe(0);
  });

  it("mprotect changes the mapped run up to a hole, then says ENOMEM", () => {
    const { space, mm } = setup();
    const a = mm.mmap(0, 3 * PAGE, RW, ANON, undefined, 0);
    mm.munmap(a + 2 * PAGE, PAGE);
    expect(mm.mprotect(a + PAGE, 2 * PAGE, Prot.Read)).toBe(ENOMEM);
    expect(space.vmaps.lookup(a + PAGE)!.prot).toBe(Prot.Read);
    expect(space.vmaps.lookup(a)!.prot).toBe(RW);
    expect(mm.mprotect(a + 2 * PAGE, PAGE, Prot.None)).toBe(ENOMEM);
  });
});

describe("mremap", () => {
  it("moves pages without copying them, and grows the moved range with zeros", () => {
    const { space, mm, frames } = setup();
    const a = mm.mmap(0, 2 * PAGE, RW, ANON, undefined, 0);
    space.write(a, Uint8Array.of(1, 2, 3));
    space.write(a + PAGE, Uint8Array.of(4));
    mm.mmap(a + 2 * PAGE, PAGE, Prot.Read, ANON | MapFlag.Fixed, undefined, 0); // a wall
    const used = frames.inUse;
    expect(mm.mremap(a, 2 * PAGE, 4 * PAGE, 0, 0)).toBe(ENOMEM);
    const b = mm.mremap(a, 2 * PAGE, 4 * PAGE, 1, 0);
    expect(b).not.toBe(a);
    expect(frames.inUse).toBe(used); // the same frames, now at b
    expect([...space.read(b, 3)!]).toEqual([1, 2, 3]);
    expect(space.read(b + PAGE, 1)![0]).toBe(4);
    expect(space.read(b + 2 * PAGE, PAGE)).toEqual(new Uint8Array(PAGE));
    expect(space.overlapping(a, a + 2 * PAGE)).toEqual([]);
    expect(space.overlapping(b, b + 4 * PAGE).length).toBe(1);
  });

  it("keeps a file mapping's file when it moves or grows", () => {
    const { space, mm } = setup();
    const a = mm.mmap(0, PAGE, Prot.Read, MapFlag.Private, file(), 0);
    mm.mmap(a + PAGE, PAGE, Prot.Read, ANON | MapFlag.Fixed, undefined, 0);
    expect(space.read(a + 10, 1)![0]).toBe(30);
    const b = mm.mremap(a, PAGE, 3 * PAGE, 1, 0);
    expect(space.read(b + 10, 1)![0]).toBe(30);
    expect(space.read(b + 2 * PAGE + 1, 1)![0]).toBe(((2 * PAGE + 1) * 3) & 0xff);
  });

  it("checks its arguments as Linux does", () => {
    const { mm } = setup();
    const a = mm.mmap(0, 4 * PAGE, RW, ANON, undefined, 0);
    const t = mm.mmap(0, 2 * PAGE, RW, ANON, undefined, 0);
    expect(mm.mremap(a, PAGE, PAGE, 2, t)).toBe(EINVAL); // FIXED without MAYMOVE
    expect(mm.mremap(a, PAGE, PAGE, 8, 0)).toBe(EINVAL);
    expect(mm.mremap(a, 2 * PAGE, 2 * PAGE, 3, a + PAGE)).toBe(EINVAL); // overlapping
    expect(mm.mremap(a, PAGE, 0, 0, 0)).toBe(EINVAL);
    expect(mm.mremap(a + 1, PAGE, PAGE, 0, 0)).toBe(EINVAL);
    expect(mm.mremap(0x3000_0000, PAGE, PAGE, 0, 0)).toBe(EFAULT);
    expect(mm.mremap(a, 8 * PAGE, 9 * PAGE, 1, 0)).toBe(EFAULT);
    expect(mm.mremap(a, 4 * PAGE, PAGE, 0, 0)).toBe(a);
    expect(mm.mremap(a, PAGE, PAGE, 3, t)).toBe(t);
  });
});

describe("MAP_POPULATE", () => {
  it("fills pages at once, but never more than leaves an eighth of RAM free", () => {
    const { mm, frames } = setup();
    const small = mm.mmap(0, 4 * PAGE, RW, ANON | MapFlag.Populate, undefined, 0);
    expect(mm.mincore(small, 4 * PAGE)).toEqual(Uint8Array.of(1, 1, 1, 1));
    const total = frames.available + frames.inUse;
    const huge = mm.mmap(0, 64 << 20, RW, ANON | MapFlag.Populate, undefined, 0); // 4 × RAM
    expect(huge).toBeGreaterThan(0);
    expect(frames.available).toBeGreaterThanOrEqual(Math.floor(total / 8) - 1);
    expect((mm.mincore(huge, PAGE) as Uint8Array)[0]).toBe(1);
    const none = mm.mmap(0, PAGE, Prot.None, ANON | MapFlag.Populate, undefined, 0);
    expect(mm.mincore(none, PAGE)).toEqual(Uint8Array.of(0)); // nothing to fill behind PROT_NONE
  });
});

describe("running out of guest RAM", () => {
  it("fails the access instead of throwing, and recovers once memory is freed", () => {
    const cpu = new Cpu({ memoryBytes: 1 << 20 });
    const space = new AddressSpace(cpu, new FrameAllocator(PAGE, 1 << 20));
    const mm = new MemoryManager(space, { mmapMin: 0x10000, mmapTop: 0x4000_0000, brkStart: 0x1000_0000, brkLimit: 0x2000_0000 });
    const a = mm.mmap(0, 4 << 20, RW, ANON, undefined, 0); // 4 × RAM, nothing touched yet
    let touched = 0;
    while (touched < 1024 && space.write(a + touched * PAGE, Uint8Array.of(1))) touched++;
    expect(touched).toBeGreaterThan(100);
    expect(touched).toBeLessThan(256);
    expect(space.handleFault(a + touched * PAGE, 0x4 | 0x2)).toBe(false); // a user write: SIGSEGV
    expect(mm.munmap(a, 64 * PAGE)).toBe(0);
    expect(space.write(a + touched * PAGE, Uint8Array.of(1))).toBe(true);
  });
});

describe("madvise, msync, mincore", () => {
  it("MADV_DONTNEED zeroes private anonymous pages and keeps shared ones", () => {
    const { space, mm } = setup();
    const p = mm.mmap(0, PAGE, RW, ANON, undefined, 0);
    const s = mm.mmap(0, PAGE, RW, MapFlag.Shared | MapFlag.Anonymous, undefined, 0);
    space.write(p, Uint8Array.of(9));
    space.write(s, Uint8Array.of(9));
    expect(mm.madvise(p, PAGE, 4)).toBe(0);
    expect(mm.madvise(s, PAGE, 4)).toBe(0);
    expect([space.read(p, 1)![0], space.read(s, 1)![0]]).toEqual([0, 9]);
    expect(mm.madvise(p, PAGE, 5)).toBe(EINVAL);
    expect(mm.madvise(p, 3 * PAGE, 0)).toBe(ENOMEM);
  });

  it("mincore reports touched pages and refuses holes", () => {
    const { space, mm } = setup();
    const a = mm.mmap(0, 3 * PAGE, RW, ANON, undefined, 0);
    space.write(a + PAGE, Uint8Array.of(1));
    expect(mm.mincore(a, 3 * PAGE)).toEqual(Uint8Array.of(0, 1, 0));
    expect(mm.mincore(a, 1)).toEqual(Uint8Array.of(0));
    expect(mm.mincore(a, 4 * PAGE)).toBe(ENOMEM);
    expect(mm.mincore(a + 1, PAGE)).toBe(EINVAL);
  });

  it("msync writes shared pages back and says ENOMEM for holes", () => {
    const { space, mm } = setup();
    const written: Array<[number, number]> = [];
    const shared = { name: "/f", writable: true, source: { fill: () => {}, writeBack: (offset: number, bytes: Uint8Array) => void written.push([offset, bytes[0]!]) } };
    const a = mm.mmap(0, 2 * PAGE, RW, MapFlag.Shared, shared, PAGE);
    space.write(a + PAGE, Uint8Array.of(7));
    expect(mm.msync(a, 2 * PAGE)).toBe(0);
    expect(written).toEqual([[2 * PAGE, 7]]);
    expect(mm.msync(a, 3 * PAGE)).toBe(ENOMEM);
  });
});
