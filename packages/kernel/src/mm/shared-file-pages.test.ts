import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { OpenFlag, RegularFileDescription, Vfs } from "@nanots/syscalls";
import { Cpu } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { AddressSpace } from "./address-space.js";
import { FrameAllocator } from "./frames.js";
import { MapFlag, MemoryManager } from "./memory-manager.js";
import { SharedFilePages } from "./shared-file-pages.js";
import { Prot } from "./vmap.js";

const PAGE = 4096;
const RW = Prot.Read | Prot.Write;
const O_RDWR = 2;
const bytes = (s: string) => new TextEncoder().encode(s);

/** A machine's memory and a VFS holding `/f`, `size` bytes of 'a'. */
function sharedSetup(size = 2 * PAGE) {
  const cpu = new Cpu({ memoryBytes: 16 << 20 });
  const frames = new FrameAllocator(PAGE, 16 << 20);
  const space = new AddressSpace(cpu, frames);
  const mm = new MemoryManager(space, { mmapMin: 0x10000, mmapTop: 0x4000_0000, brkStart: 0x1000_0000, brkLimit: 0x2000_0000 });
  const fs = Tfs.format(new MemoryBlockDevice(8 * 2 ** 20));
  fs.writeFile("/f", new Uint8Array(size).fill(0x61));
  const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n), programPath: "/bin/app" });
  const open = (flags = O_RDWR) => vfs.open("/", "/f", flags) as RegularFileDescription;
  /** mmap of `desc` as the kernel's mmap hook makes it. */
  const map = (desc: RegularFileDescription, length: number, offset = 0, flags: number = MapFlag.Shared, prot = RW) => {
    const source = SharedFilePages.of(desc.file, space);
    if (flags !== MapFlag.Private && desc.writable) source.allowStores();
    const at = mm.mmap(0, length, prot, flags, { source, name: desc.path, writable: desc.writable }, offset);
    expect(at).toBeGreaterThan(0);
    return at;
  };
  return { cpu, frames, space, mm, fs, vfs, open, map };
}

describe("shared file pages", () => {
  it("are one frame per file page for every shared mapping, through any open of the file", () => {
    const { space, open, map } = sharedSetup();
    const a = open();
    const b = open();
    const p = map(a, 2 * PAGE);
    const q = map(b, PAGE, PAGE);
    expect(space.write(p + PAGE + 3, bytes("xy"))).toBe(true);
    expect(space.read(q + 3, 2)).toEqual(bytes("xy"));
    expect(space.write(q + 10, bytes("Q"))).toBe(true);
    expect(space.read(p + PAGE + 10, 1)).toEqual(bytes("Q"));
    expect(a.file).toBe(b.file);
    expect(a.file.pages).toBeInstanceOf(SharedFilePages);
    expect((a.file.pages as SharedFilePages).size).toBe(1);
  });

  it("show stores to read() at once and write() to the mappings", () => {
    const { space, fs, open, map } = sharedSetup();
    const d = open();
    const p = map(d, 2 * PAGE);
    space.write(p + 5, bytes("S"));
    expect(d.pread(3, 4)).toEqual(bytes("aSa"));
    // Not in TFS yet: it gets there by write-back.
    expect(fs.read("/f", 5, 1)).toEqual(bytes("a"));
    d.pwrite(bytes("WW"), PAGE - 1);
    expect(space.read(p + PAGE - 1, 2)).toEqual(bytes("WW"));
    expect(fs.read("/f", PAGE - 1, 2)).toEqual(bytes("WW"));
  });

  it("leave a private mapping's stores private, and fill it from the shared pages", () => {
    const { space, open, map } = sharedSetup();
    const d = open();
    const p = map(d, PAGE);
    space.write(p + 1, bytes("s"));
    const priv = map(d, PAGE, 0, MapFlag.Private);
    expect(space.read(priv + 1, 1)).toEqual(bytes("s"));
    space.write(priv + 2, bytes("P"));
    expect(space.read(p + 2, 1)).toEqual(bytes("a"));
    expect(d.pread(1, 2)).toEqual(bytes("a"));
  });

  it("are shared read-only with a private mapping until its first store, even one the kernel makes", () => {
    const { space, mm, open, map } = sharedSetup();
    const d = open();
    const p = map(d, 2 * PAGE);
    const priv = map(d, 2 * PAGE, 0, MapFlag.Private);
    expect(space.read(priv, 1)).toEqual(bytes("a"));
    d.pwrite(bytes("F"), 1);
    space.write(p + 2, bytes("G"));
    expect(space.read(priv + 1, 2)).toEqual(bytes("FG"));
    // mprotect keeps the shared page read-only; the kernel's copy into it makes it private.
    expect(mm.mprotect(priv, PAGE, RW)).toBe(0);
    expect(space.write(priv + 3, bytes("P"))).toBe(true);
    expect(space.read(p + 3, 1)).toEqual(bytes("a"));
    d.pwrite(bytes("H"), 4);
    expect(space.read(priv + 1, 4)).toEqual(bytes("FGPa"));
    // A store to a page not read yet copies it at once.
    expect(space.write(priv + PAGE, bytes("Q"))).toBe(true);
    expect(space.read(p + PAGE, 1)).toEqual(bytes("a"));
    // Truncation takes private pages past the end too (Linux unmaps even their copies).
    d.truncate(10);
    expect(space.read(priv + PAGE, 1)).toBeUndefined();
    expect(space.pastEndOfFile(priv + PAGE)).toBe(true);
    expect(mm.munmap(p, 2 * PAGE)).toBe(0);
    expect(d.file.pages).toBeDefined(); // the private mapping still uses them
    expect(mm.munmap(priv, 2 * PAGE)).toBe(0);
    expect(d.file.pages).toBeUndefined();
  });

  it("go back to the file and to RAM with the last mapping, which outlives its fd", () => {
    const { space, mm, fs, frames, open, map } = sharedSetup();
    const before = frames.inUse;
    const d = open();
    const file = d.file;
    const p = map(d, 2 * PAGE);
    const q = map(d, PAGE);
    d.close();
    expect(file.opens).toBe(1); // the pages hold the file
    space.write(p + 7, bytes("z"));
    expect(mm.munmap(p, 2 * PAGE)).toBe(0);
    expect(file.pages).toBeDefined();
    expect(fs.read("/f", 7, 1)).toEqual(bytes("z"));
    space.write(q + 8, bytes("y"));
    expect(mm.munmap(q, PAGE)).toBe(0);
    expect(file.pages).toBeUndefined();
    expect(file.opens).toBe(0);
    expect(fs.read("/f", 7, 2)).toEqual(bytes("zy"));
    // Page tables stay; every data frame went back.
    expect(frames.inUse - before).toBeLessThanOrEqual(3);
    const again = map(open(), PAGE);
    expect(space.read(again + 7, 2)).toEqual(bytes("zy"));
  });

  it("let go of the file when the mapping they were made for fails", () => {
    const { space, mm, open } = sharedSetup();
    const d = open();
    const pages = SharedFilePages.of(d.file, space);
    expect(d.file.opens).toBe(2);
    expect(mm.mmap(0, PAGE, RW, MapFlag.Shared, { source: pages, name: "/f", writable: true }, 1)).toBe(-22);
    pages.releaseIfUnmapped();
    expect(d.file.pages).toBeUndefined();
    expect(d.file.opens).toBe(1);
  });

  it("survive mremap moving a mapping and MAP_FIXED over another mapping of them", () => {
    const { space, mm, open, map } = sharedSetup(4 * PAGE);
    const d = open();
    const p = map(d, PAGE);
    const q = map(d, PAGE);
    space.write(p + 1, bytes("m"));
    const moved = mm.mremap(p, PAGE, 3 * PAGE, 1, 0);
    expect(moved).toBeGreaterThan(0);
    expect(space.read(moved + 1, 1)).toEqual(bytes("m"));
    space.write(moved + 2 * PAGE, bytes("g"));
    expect(d.pread(1, 2 * PAGE)).toEqual(bytes("g"));
    // Replacing the only other mapping by one of the same file keeps the pages.
    const source = d.file.pages;
    expect(mm.mmap(q, PAGE, RW, MapFlag.Shared | MapFlag.Fixed, { source: source as SharedFilePages, name: "/f", writable: true }, 0)).toBe(q);
    expect(mm.munmap(moved, 3 * PAGE)).toBe(0);
    expect(d.file.pages).toBe(source);
    expect(space.read(q + 1, 1)).toEqual(bytes("m"));
  });

  it("lose the pages past the end of a truncated file, and the partial page's tail", () => {
    const { space, open, map } = sharedSetup();
    const d = open();
    const p = map(d, 2 * PAGE);
    space.write(p + PAGE, bytes("t"));
    d.truncate(100);
    expect(space.read(p + 99, 2)).toEqual(new Uint8Array([0x61, 0]));
    expect(space.read(p + PAGE, 1)).toBeUndefined();
    expect(space.pastEndOfFile(p + PAGE)).toBe(true);
    expect(space.pastEndOfFile(p)).toBe(false);
    d.truncate(2 * PAGE);
    expect(space.pastEndOfFile(p + PAGE)).toBe(false);
    expect(space.read(p + PAGE, 1)).toEqual(new Uint8Array([0]));
    // O_TRUNC on open takes them too.
    space.write(p + 1, bytes("o"));
    open(O_RDWR | OpenFlag.O_TRUNC);
    expect(space.read(p + 1, 1)).toBeUndefined();
  });

  it("zero what was stored past the end of the file when a write grows it", () => {
    const { space, open, map } = sharedSetup(10);
    const d = open();
    const p = map(d, PAGE);
    space.write(p + 20, bytes("past"));
    expect(d.size()).toBe(10);
    d.pwrite(bytes("e"), 30);
    expect(d.pread(31, 0)).toEqual(new Uint8Array(31).fill(0x61, 0, 10).fill(0x65, 30));
    expect(space.read(p + 20, 4)).toEqual(new Uint8Array(4));
  });

  it("reach TFS at sync and before an unlinked file's data moves to memory", () => {
    const { space, fs, vfs, open, map } = sharedSetup();
    const d = open();
    const p = map(d, PAGE);
    space.write(p, bytes("sync"));
    vfs.sync();
    expect(fs.read("/f", 0, 4)).toEqual(bytes("sync"));
    space.write(p, bytes("gone"));
    vfs.unlink("/", "/f");
    expect(d.pread(4, 0)).toEqual(bytes("gone"));
    space.write(p, bytes("more"));
    expect(d.pread(4, 0)).toEqual(bytes("more"));
  });
});
