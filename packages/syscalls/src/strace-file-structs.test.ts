import { describe, expect, it } from "vitest";
import { formatSyscall } from "./strace.js";
import { encodeStatfs } from "./structs/statfs.js";
import { encodeStatx } from "./structs/statx.js";
import { syscallByName } from "./syscall-table.js";
import { ArrayUserMemory } from "./user-memory.js";

const nr = (name: string): number => syscallByName(name)!.nr;

function memory() {
  const mem = new ArrayUserMemory(0x10000, 0x10000);
  let next = 0x10000;
  const put = (bytes: Uint8Array | string): number => {
    const b = typeof bytes === "string" ? new TextEncoder().encode(`${bytes}\0`) : bytes;
    const at = next;
    mem.write(at, b);
    next += (b.length + 15) & ~15;
    return at;
  };
  const longs = (...values: number[]): number => {
    const b = new Uint8Array(values.length * 8);
    const v = new DataView(b.buffer);
    values.forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true));
    return put(b);
  };
  return { mem, put, longs };
}

describe("strace decoding of the file calls' structs and flags", () => {
  it("statfs and fstatfs show the struct they fill", () => {
    const { mem, put } = memory();
    const buf = put(encodeStatfs({ type: 0xef53, bsize: 4096, blocks: 100, bfree: 40, bavail: 30, files: 7, ffree: 6, fsid: [1, 2], namelen: 255, frsize: 4096, flags: 0x20 }));
    const dot = put(".");
    expect(formatSyscall(nr("statfs"), [dot, buf], 0, mem)).toBe(
      'statfs(".", {f_type=0xef53, f_bsize=4096, f_blocks=100, f_bfree=40, f_bavail=30, f_files=7, f_ffree=6, f_fsid={val=[0x1, 0x2]}, f_namelen=255, f_frsize=4096, f_flags=0x20}) = 0',
    );
    expect(formatSyscall(nr("fstatfs"), [3, buf], -14, mem)).toBe(`fstatfs(3, 0x${buf.toString(16)}) = -1 EFAULT (Bad address)`);
  });

  it("statx shows its mask by name and the basic fields it filled", () => {
    const { mem, put } = memory();
    const zero = { sec: 0, nsec: 0 };
    const buf = put(encodeStatx({ mask: 0x7ff, dev: 1, ino: 2, nlink: 1, mode: 0o100644, uid: 0, gid: 0, rdev: 0, size: 12, blksize: 4096, blocks: 8, atime: zero, mtime: zero, ctime: zero }));
    const path = put("file");
    expect(formatSyscall(nr("statx"), [-100, path, 0x100, 0x7ff | 0x800, buf], 0, mem)).toBe(
      'statx(AT_FDCWD, "file", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS|STATX_BTIME, {stx_mask=STATX_BASIC_STATS, stx_mode=S_IFREG|0644, stx_size=12, ...}) = 0',
    );
    expect(formatSyscall(nr("statx"), [-100, path, 0, 0x200, buf], 0, mem)).toMatch(/, STATX_SIZE, \{/);
  });

  it("utime, utimes and utimensat show their times; UTIME_NOW and UTIME_OMIT by name", () => {
    const { mem, put, longs } = memory();
    const path = put("f");
    expect(formatSyscall(nr("utime"), [path, longs(1300000000, 1400000000)], 0, mem)).toBe('utime("f", {actime=1300000000, modtime=1400000000}) = 0');
    expect(formatSyscall(nr("utime"), [path, 0], 0, mem)).toBe('utime("f", NULL) = 0');
    expect(formatSyscall(nr("utimes"), [path, longs(1, 2, 3, 4)], 0, mem)).toBe('utimes("f", [{tv_sec=1, tv_usec=2}, {tv_sec=3, tv_usec=4}]) = 0');
    expect(formatSyscall(nr("utimensat"), [-100, path, longs(0, 2 ** 30 - 2, 0, 2 ** 30 - 1), 0x100], 0, mem)).toBe(
      'utimensat(AT_FDCWD, "f", [UTIME_OMIT, UTIME_NOW], AT_SYMLINK_NOFOLLOW) = 0',
    );
    expect(formatSyscall(nr("utimensat"), [3, 0, 0, 0], 0, mem)).toBe("utimensat(3, NULL, NULL, 0) = 0");
    expect(formatSyscall(nr("utimes"), [path, 1], -14, mem)).toBe('utimes("f", 0x1) = -1 EFAULT (Bad address)');
  });

  it("renameat2, fallocate and fadvise64 flags by name", () => {
    const { mem, put } = memory();
    const a = put("a");
    const b = put("b");
    expect(formatSyscall(nr("renameat2"), [-100, a, -100, b, 2], 0, mem)).toBe('renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE) = 0');
    expect(formatSyscall(nr("renameat2"), [-100, a, -100, b, 0x101], -22, mem)).toBe('renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE|0x100) = -1 EINVAL (Invalid argument)');
    expect(formatSyscall(nr("fallocate"), [3, 3, 0, 4096], 0, mem)).toBe("fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096) = 0");
    expect(formatSyscall(nr("fallocate"), [3, 0, 0, 10], 0, mem)).toBe("fallocate(3, 0, 0, 10) = 0");
    expect(formatSyscall(nr("fadvise64"), [3, 0, 100, 4], 0, mem)).toBe("fadvise64(3, 0, 100, POSIX_FADV_DONTNEED) = 0");
    expect(formatSyscall(nr("fadvise64"), [3, 0, 100, 9], -22, mem)).toBe("fadvise64(3, 0, 100, 9) = -1 EINVAL (Invalid argument)");
  });
});
