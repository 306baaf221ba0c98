import { describe, expect, it } from "vitest";
import { FsError } from "./fs-error.js";
import { FirstFitAllocator } from "./sector-allocator.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { readLog } from "./log-reader.js";
import { Tfs } from "./tfs.js";
import { sortBytes, treeLines } from "./testing/tree-listing.js";

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 9)) & 0xff);

function fresh(sectors = 16384): { device: MemoryBlockDevice; fs: Tfs } {
  const device = new MemoryBlockDevice(sectors);
  return { device, fs: Tfs.format(device, { label: "test", now: () => 1_700_000_000_000 }) };
}

const remount = (device: MemoryBlockDevice): Tfs => Tfs.mount(device);

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
  return undefined;
}

describe("Tfs writing", () => {
  it("format + sync gives an image that mounts empty, with label and the Nanos layout", () => {
    const { device, fs } = fresh();
    fs.sync();
    const again = remount(device);
    expect(again.label).toBe("test");
    expect(again.uuid).toEqual(fs.uuid);
    expect(again.readdir("/")).toEqual([]);
    expect(again.logExtensions.map((e) => [e.start, e.sectors])).toEqual([
      [0, 1],
      [1, 1024],
    ]);
  });

  it("a device too small for the reserved log areas still formats, and refuses data with ENOSPC", () => {
    const { device, fs } = fresh(2048);
    fs.mkdir("/d");
    expect(code(() => fs.writeFile("/d/f", "x"))).toBe("ENOSPC");
    fs.sync();
    expect(remount(device).readdir("/")).toEqual(["d"]);
  });

  it("file data starts at sector 3073, after the reserved log areas, as C mkfs lays it out", () => {
    const { device, fs } = fresh();
    fs.writeFile("/a", "hello");
    fs.sync();
    const extents = remount(device).root.getTuple("children")!.getTuple("a")!.getTuple("extents")!;
    expect(extents.getTuple("0")!.getNumber("offset")).toBe(3073);
  });

  it("writeFile / readFile / ranged reads and writes / append / truncate survive remounts", () => {
    const { device, fs } = fresh();
    const big = bytes(300_000, 1);
    fs.writeFile("/big", big);
    fs.write("/big", bytes(1000, 2), 12345);
    fs.appendFile("/big", "tail");
    fs.writeFile("/small", "hi");
    fs.sync();
    const expected = new Uint8Array(300_004);
    expected.set(big);
    expected.set(bytes(1000, 2), 12345);
    expected.set(new TextEncoder().encode("tail"), 300_000);
    let m = remount(device);
    expect(m.readFile("/big")).toEqual(expected);
    expect(m.read("/big", 12000, 2000)).toEqual(expected.subarray(12000, 14000));
    expect(m.read("/big", 299_990, 100)).toEqual(expected.subarray(299_990));
    expect(text(m.readFile("/small"))).toBe("hi");

    m.truncate("/big", 1001);
    m.truncate("/big", 5000);
    m.sync();
    m = remount(device);
    const after = new Uint8Array(5000);
    after.set(expected.subarray(0, 1001));
    expect(m.readFile("/big")).toEqual(after);
    expect(m.stat("/big").size).toBe(5000);
  });

  it("a write past the end leaves a hole of zeros", () => {
    const { device, fs } = fresh();
    fs.writeFile("/f", "ab");
    fs.write("/f", new Uint8Array([9]), 100_000);
    fs.sync();
    const data = remount(device).readFile("/f");
    expect(data.length).toBe(100_001);
    expect(data[0]).toBe(97);
    expect(data.subarray(2, 100_000).every((b) => b === 0)).toBe(true);
    expect(data[100_000]).toBe(9);
  });

  it("mkdir (recursive), readdir with types, rmdir, unlink, symlink, readlink", () => {
    const { device, fs } = fresh();
    expect(fs.mkdir("/x/y/z", { recursive: true })).toBe("/x");
    expect(fs.mkdir("/x/y", { recursive: true })).toBeUndefined();
    fs.writeFile("/x/y/f", "1");
    fs.symlink("y/f", "/x/link");
    fs.mkdir("/gone");
    fs.rmdir("/gone");
    fs.writeFile("/tmp", "t");
    fs.unlink("/tmp");
    fs.sync();
    const m = remount(device);
    expect(treeLines(m)).toEqual(sortBytes(["dir /", "dir /x", "symlink /x/link -> y/f", "dir /x/y", "file /x/y/f", "dir /x/y/z"]));
    expect(m.readdir("/x", { withFileTypes: true }).map((d) => [d.name, d.kind])).toEqual([
      ["link", "symlink"],
      ["y", "directory"],
    ]);
    expect(text(m.readFile("/x/link"))).toBe("1");
    expect(m.readlink("/x/link")).toBe("y/f");
    expect(m.lstat("/x/link").isSymbolicLink()).toBe(true);
    expect(m.stat("/x/link").isFile()).toBe(true);
  });

  it("rename moves files and directories, replacing files and empty directories", () => {
    const { device, fs } = fresh();
    fs.mkdir("/a/b", { recursive: true });
    fs.writeFile("/a/b/f", "data");
    fs.writeFile("/g", "old");
    fs.rename("/a/b/f", "/g");
    fs.mkdir("/empty");
    fs.rename("/a", "/empty");
    fs.sync();
    const m = remount(device);
    expect(treeLines(m)).toEqual(["dir /", "dir /empty", "dir /empty/b", "file /g"]);
    expect(text(m.readFile("/g"))).toBe("data");
  });

  it("exchange swaps two entries (files or directories) and survives a remount", () => {
    const { device, fs } = fresh();
    fs.mkdir("/d/sub", { recursive: true });
    fs.writeFile("/d/sub/inner", "deep");
    fs.writeFile("/f", "file");
    fs.writeFile("/g", "other");
    fs.exchange("/f", "/g");
    fs.exchange("/d", "/f");
    fs.sync();
    const m = remount(device);
    expect(text(m.readFile("/g"))).toBe("file");
    expect(text(m.readFile("/d"))).toBe("other");
    expect(text(m.readFile("/f/sub/inner"))).toBe("deep");
    expect(code(() => fs.exchange("/f", "/missing"))).toBe("ENOENT");
    expect(code(() => fs.exchange("/f", "/f/sub"))).toBe("EINVAL");
    expect(code(() => fs.exchange("/f/sub/inner", "/f"))).toBe("EINVAL");
    expect(code(() => fs.exchange("/", "/g"))).toBe("EPERM");
  });

  it("link gives a file a second name sharing its data; the space is freed with the last name", () => {
    const { device, fs } = fresh();
    fs.mkdir("/d");
    fs.writeFile("/a", bytes(5000, 1));
    fs.link("/a", "/d/b");
    fs.write("/d/b", new Uint8Array([42]), 0);
    expect(fs.readFile("/a")[0]).toBe(42);
    expect(fs.stat("/a").size).toBe(5000);
    fs.sync();
    const m = remount(device);
    expect(m.readFile("/a")).toEqual(m.readFile("/d/b"));
    expect(m.root.getTuple("children")!.get("a")).toBe(m.root.getTuple("children")!.getTuple("d")!.getTuple("children")!.get("b"));
    expect(m.stat("/a").nlink).toBe(2);
    const used = m.freeSectors;
    const blocks = m.stat("/a").blocks;
    expect(blocks).toBeGreaterThan(0);
    m.unlink("/a");
    m.sync();
    expect(m.freeSectors).toBe(used);
    expect(m.readFile("/d/b")[0]).toBe(42);
    m.unlink("/d/b");
    m.sync();
    expect(m.freeSectors).toBe(used + blocks);
    expect(remount(device).readdir("/d")).toEqual([]);
    expect(code(() => fs.link("/d", "/e"))).toBe("EPERM");
    expect(code(() => fs.link("/missing", "/e"))).toBe("ENOENT");
    expect(code(() => fs.link("/a", "/d"))).toBe("EEXIST");
    expect(code(() => fs.link("/a", "/none/x"))).toBe("ENOENT");
  });

  it("utimes sets a symlink's target's times, or with follow false the link's own", () => {
    const { device, fs } = fresh();
    fs.writeFile("/f", "x");
    fs.symlink("f", "/l");
    fs.utimes("/l", 1_000_000_000_000, 1_100_000_000_000);
    fs.utimes("/l", 1_200_000_000_000, 1_300_000_000_000, false);
    fs.sync();
    const m = remount(device);
    expect(m.stat("/f").mtime.getTime()).toBe(1_100_000_000_000);
    expect(m.lstat("/l").mtime.getTime()).toBe(1_300_000_000_000);
    expect(m.lstat("/l").atime.getTime()).toBe(1_200_000_000_000);
    // An undefined time is left as it is.
    m.utimes("/f", undefined, 1_400_000_000_000);
    m.utimes("/f", 1_500_000_000_000, undefined);
    expect(m.stat("/f").mtime.getTime()).toBe(1_400_000_000_000);
    expect(m.stat("/f").atime.getTime()).toBe(1_500_000_000_000);
    expect(m.writable).toBe(true);
    expect(Tfs.mount(device, { readOnly: true }).writable).toBe(false);
  });

  it("a directory's mtime moves when an entry is made, removed or renamed in it (once per directory)", () => {
    let clock = 1_000_000_000_000;
    const device = new MemoryBlockDevice(16384);
    const fs = Tfs.format(device, { now: () => clock });
    fs.mkdir("/a");
    fs.mkdir("/b");
    const mtime = (p: string) => fs.stat(p).mtime.getTime();
    const step = (f: () => void): void => {
      clock += 1000;
      f();
    };
    step(() => fs.writeFile("/a/f", "x"));
    expect(mtime("/a")).toBe(clock);
    expect(mtime("/b")).toBe(1_000_000_000_000);
    step(() => fs.rename("/a/f", "/b/f"));
    expect([mtime("/a"), mtime("/b")]).toEqual([clock, clock]);
    step(() => fs.link("/b/f", "/a/g"));
    expect([mtime("/a"), mtime("/b")]).toEqual([clock, clock - 1000]);
    step(() => fs.unlink("/a/g"));
    expect(mtime("/a")).toBe(clock);
    step(() => fs.symlink("f", "/b/l"));
    expect(mtime("/b")).toBe(clock);
    step(() => fs.rmdir("/a"));
    expect(mtime("/")).toBe(clock);
    // Writing a file's data changes the file's mtime, not its directory's.
    step(() => fs.write("/b/f", new Uint8Array([1]), 0));
    expect(mtime("/b")).toBe(clock - 2000);
    expect(mtime("/b/f")).toBe(clock);
    fs.sync();
    expect(Tfs.mount(device).stat("/b").mtime.getTime()).toBe(clock - 2000);
  });

  it("errors are Node-style, with the path", () => {
    const { fs } = fresh();
    fs.mkdir("/d");
    fs.writeFile("/d/f", "x");
    expect(code(() => fs.readFile("/nope"))).toBe("ENOENT");
    expect(code(() => fs.readFile("/d"))).toBe("EISDIR");
    expect(code(() => fs.readdir("/d/f"))).toBe("ENOTDIR");
    expect(code(() => fs.readFile("/d/f/x"))).toBe("ENOTDIR");
    expect(code(() => fs.mkdir("/d"))).toBe("EEXIST");
    expect(code(() => fs.mkdir("/q/r"))).toBe("ENOENT");
    expect(code(() => fs.rmdir("/d"))).toBe("ENOTEMPTY");
    expect(code(() => fs.unlink("/d"))).toBe("EISDIR");
    expect(code(() => fs.rename("/d", "/d/sub"))).toBe("EINVAL");
    fs.writeFile("/e", "x");
    expect(code(() => fs.rename("/d", "/e"))).toBe("ENOTDIR");
    expect(code(() => fs.rename("/e", "/d"))).toBe("EISDIR");
    expect(code(() => fs.readlink("/d/f"))).toBe("EINVAL");
    fs.symlink("/loop", "/loop");
    expect(code(() => fs.readFile("/loop"))).toBe("ELOOP");
    expect(() => fs.readFile("/nope")).toThrow("ENOENT: no such file or directory, open '/nope'");
    expect(code(() => fs.read("/d/f", -1, 10))).toBe("EINVAL");
    expect(code(() => fs.write("/d/f", new Uint8Array(1), 2 ** 60))).toBe("EINVAL");
    fs.truncate("/d/f", 3 * 2 ** 30); // a 3 GiB hole costs nothing…
    expect(fs.stat("/d/f").size).toBe(3 * 2 ** 30);
    expect(code(() => fs.readFile("/d/f"))).toBe("EFBIG"); // …but cannot be one buffer
    expect(fs.read("/d/f", 2 ** 31, 4)).toEqual(new Uint8Array(4));
    expect(code(() => fs.mkdir("/a\0b"))).toBe("EINVAL");
  });

  it("a full device gives ENOSPC and the filesystem stays usable", () => {
    const { device, fs } = fresh(4000);
    expect(code(() => fs.writeFile("/big", new Uint8Array(2_000_000)))).toBe("ENOSPC");
    fs.writeFile("/ok", "fine");
    fs.sync();
    expect(text(remount(device).readFile("/ok"))).toBe("fine");
  });

  it("freed space is reused only after the sync that freed it", () => {
    const { fs } = fresh();
    fs.writeFile("/a", new Uint8Array(512 * 100));
    fs.sync();
    const free = fs.freeSectors;
    fs.unlink("/a");
    expect(fs.freeSectors).toBe(free);
    fs.sync();
    expect(fs.freeSectors).toBe(free + 100);
  });

  it("utimes and timestamps on created entries", () => {
    const { device, fs } = fresh();
    fs.writeFile("/f", "x");
    expect(fs.stat("/f").mtime.getTime()).toBe(1_700_000_000_000);
    fs.utimes("/f", new Date(1000), new Date(2000));
    fs.sync();
    const s = remount(device).stat("/f");
    expect(s.atime.getTime()).toBe(1000);
    expect(s.mtime.getTime()).toBe(2000);
  });

  it("a read-only mount refuses changes with EROFS", () => {
    const { device, fs } = fresh();
    fs.sync();
    expect(code(() => Tfs.mount(device, { readOnly: true }).writeFile("/f", "x"))).toBe("EROFS");
  });

  it("createReadStream streams the file in chunks", async () => {
    const { fs } = fresh();
    const data = bytes(200_000, 3);
    fs.writeFile("/f", data);
    const chunks: Uint8Array[] = [];
    for await (const c of fs.createReadStream("/f", { start: 10, end: 150_009, highWaterMark: 4096 })) chunks.push(c);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(data.subarray(10, 150_010)));
  });

  it("a log longer than one extension continues in a linked extension and mounts", () => {
    const { device, fs } = fresh(65536);
    for (let i = 0; i < 3000; i++) fs.writeFile(`/file-with-a-rather-long-name-number-${i}-${"x".repeat(150)}`, `${i}`);
    fs.sync();
    const m = remount(device);
    expect(m.logExtensions.length).toBe(3);
    expect(m.readdir("/").length).toBe(3000);
    expect(text(m.readFile(`/file-with-a-rather-long-name-number-2999-${"x".repeat(150)}`))).toBe("2999");
  });

  it("compacts the log after 8192 overwrites, as Nanos does, and the result mounts", () => {
    const { device, fs } = fresh();
    fs.mkdir("/d");
    fs.writeFile("/d/f", "content");
    fs.sync();
    for (let i = 0; i < 9000; i++) fs.truncate("/d/f", 7);
    expect(fs.logEntries.obsolete).toBeGreaterThanOrEqual(8192);
    fs.sync();
    expect(fs.logEntries.obsolete).toBe(0);
    expect(fs.logExtensions.map((e) => [e.start, e.sectors])).toEqual([
      [0, 1],
      [2049, 1024],
    ]);
    const m = remount(device);
    expect(m.logExtensions.map((e) => e.start)).toEqual([0, 2049]);
    expect(text(m.readFile("/d/f"))).toBe("content");
    m.writeFile("/d/g", "after");
    m.sync();
    expect(text(remount(device).readFile("/d/g"))).toBe("after");
  });

  it("appends that land right after the data lengthen the last extent instead of adding extents", () => {
    const { device, fs } = fresh();
    const chunk = bytes(4096, 5);
    for (let i = 0; i < 100; i++) fs.appendFile("/log", chunk);
    fs.sync();
    const extents = remount(device).root.getTuple("children")!.getTuple("log")!.getTuple("extents")!;
    expect(extents.count).toBe(1);
    // A partial last sector is rewritten elsewhere (copy-on-write), so that one may split off.
    fs.appendFile("/log", "odd");
    fs.appendFile("/log", "er");
    fs.sync();
    const m = remount(device);
    expect(m.stat("/log").size).toBe(409_605);
    const data = m.readFile("/log");
    expect(data.subarray(409_600)).toEqual(new TextEncoder().encode("odder"));
    expect(data.subarray(4096 * 57, 4096 * 58)).toEqual(chunk);
  });

  it("extents never exceed 65,536 sectors (a 35,000,000-byte file gets two, as in Nanos)", () => {
    const { device, fs } = fresh(200_000);
    fs.writeFile("/big", new Uint8Array(35_000_000).fill(1));
    fs.sync();
    const extents = remount(device).root.getTuple("children")!.getTuple("big")!.getTuple("extents")!;
    expect([...extents.keys()].map((k) => k.name).sort()).toEqual(["0", "65536"]);
    expect(extents.getTuple("0")!.getNumber("length")).toBe(65536);
    expect(extents.getTuple("65536")!.getNumber("length")).toBe(2824);
  });

  it("with no room for a new log, sync still commits and compaction waits", () => {
    const { device, fs } = fresh();
    fs.writeFile("/f", "x");
    fs.sync();
    // An allocator that can be told to run dry.
    let dry = false;
    const allocator = (n: number): FirstFitAllocator => {
      const inner = new FirstFitAllocator(n);
      const allocate = inner.allocate.bind(inner);
      inner.allocate = (count: number) => (dry ? undefined : allocate(count));
      return inner;
    };
    const m = Tfs.mount(device, { allocator });
    for (let i = 0; i < 9000; i++) m.truncate("/f", 1);
    dry = true;
    expect(() => m.sync()).not.toThrow();
    expect(m.logExtensions.map((e) => e.start)).toEqual([0, 1]);
    expect(m.logEntries.obsolete).toBeGreaterThanOrEqual(8192);
    expect(() => m.compact()).toThrow("ENOSPC");
    dry = false;
    m.compact();
    expect(m.logEntries.obsolete).toBe(0);
    expect(new TextDecoder().decode(remount(device).readFile("/f"))).toBe("x");
  });

  it("a rename is logged as Nanos logs it: the new name (restating the tuple), the old name deleted, the directory's mtime", () => {
    const { device, fs } = fresh();
    fs.mkdir("/a");
    fs.writeFile("/a/one.txt", "0123456789");
    fs.sync();
    const before = readLog(device).records;
    fs.rename("/a/one.txt", "/a/renamed.txt");
    fs.sync();
    const after = readLog(device);
    expect(after.records).toBe(before + 3);
    expect(text(remount(device).readFile("/a/renamed.txt"))).toBe("0123456789");
  });
});
