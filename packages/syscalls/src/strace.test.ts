import { describe, expect, it } from "vitest";
import { Errno } from "./errno.js";
import { escapeBytes } from "./quote-bytes.js";
import { formatResult, formatSyscall } from "./strace.js";
import { encodeIovecs } from "./structs/iovec.js";
import { encodeDirent64 } from "./structs/dirent64.js";
import { encodeRlimit } from "./structs/rlimit.js";
import { encodeSigaction } from "./structs/sigaction.js";
import { encodeStat } from "./structs/stat.js";
import { encodeStatfs } from "./structs/statfs.js";
import { encodeStatx } from "./structs/statx.js";
import { encodeTimespec } from "./structs/timespec.js";
import { encodeUtsname } from "./structs/utsname.js";
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
  return { mem, put };
}

// Expected lines are what strace 6 printed for static musl and glibc programs on this machine
// (pointers replaced where the call shows them in hex).
describe("formatSyscall", () => {
  it("decodes open flags and modes as strace does", () => {
    const { mem, put } = memory();
    const path = put("/tmp/sysc/out.txt");
    expect(formatSyscall(nr("open"), [path, 0o1101 | 0o100000, 0o666], 3, mem)).toBe('open("/tmp/sysc/out.txt", O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE, 0666) = 3');
    expect(formatSyscall(nr("openat"), [-100, path, 0o1101, 0o666], 3, mem)).toBe('openat(AT_FDCWD, "/tmp/sysc/out.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3');
    const dir = put("/tmp/sysc");
    expect(formatSyscall(nr("open"), [dir, 0o100000 | 0o2000000 | 0o200000, 0], 3, mem)).toBe('open("/tmp/sysc", O_RDONLY|O_LARGEFILE|O_CLOEXEC|O_DIRECTORY) = 3');
    expect(formatSyscall(nr("openat"), [0xffffff9c, dir, 0o4000 | 0o2000000 | 0o200000, 0], 3, mem)).toBe('openat(AT_FDCWD, "/tmp/sysc", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3');
  });

  it("shows errors with their name and message", () => {
    const { mem } = memory();
    expect(formatSyscall(nr("ioctl"), [1, 0x5413, 0x7fff3ca42980], -Errno.ENOTTY, mem)).toBe("ioctl(1, TIOCGWINSZ, 0x7fff3ca42980) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(formatResult(nr("read"), -Errno.EAGAIN)).toBe("-1 EAGAIN (Resource temporarily unavailable)");
  });

  it("decodes memory calls, addresses in hex", () => {
    const { mem } = memory();
    expect(formatSyscall(nr("mmap"), [0, 4096, 3, 0x22, -1, 0], 0x7f6cd3e20000, mem)).toBe("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6cd3e20000");
    expect(formatSyscall(nr("mmap"), [0x28803000, 4096, 0, 0x32, -1, 0], 0x28803000, mem)).toBe("mmap(0x28803000, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x28803000");
    expect(formatSyscall(nr("brk"), [0], 0x28f5c000, mem)).toBe("brk(NULL) = 0x28f5c000");
    expect(formatSyscall(nr("mprotect"), [0x4a1000, 16384, 1], 0, mem)).toBe("mprotect(0x4a1000, 16384, PROT_READ) = 0");
    expect(formatSyscall(nr("arch_prctl"), [0x1002, 0x40ab58], 0, mem)).toBe("arch_prctl(ARCH_SET_FS, 0x40ab58) = 0");
    expect(formatSyscall(nr("set_robust_list"), [0x28f5c660, 24], 0, mem)).toBe("set_robust_list(0x28f5c660, 24) = 0");
  });

  it("shows buffers the call read or filled, truncated at 32 bytes", () => {
    const { mem, put } = memory();
    const data = put(new TextEncoder().encode("x=42\n"));
    expect(formatSyscall(nr("read"), [3, data, 1024], 5, mem)).toBe('read(3, "x=42\\n", 1024) = 5');
    expect(formatSyscall(nr("write"), [3, data, 5], 5, mem)).toBe('write(3, "x=42\\n", 5) = 5');
    const elf = put(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]));
    expect(formatSyscall(nr("read"), [3, elf, 832], 832, mem)).toBe('read(3, "\\177ELF\\2\\1\\1\\0\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20\\21\\22\\23\\24\\25\\26\\27"..., 832) = 832');
    const random = put(Uint8Array.from([0x24, 0x9a, 0xbc, 0x34, 0x41, 0xa0, 0xbd, 0xfd]));
    expect(formatSyscall(nr("getrandom"), [random, 8, 1], 8, mem)).toBe('getrandom("\\x24\\x9a\\xbc\\x34\\x41\\xa0\\xbd\\xfd", 8, GRND_NONBLOCK) = 8');
    expect(formatSyscall(nr("read"), [3, data, 1024], -Errno.EBADF, mem)).toBe(`read(3, 0x${data.toString(16)}, 1024) = -1 EBADF (Bad file descriptor)`);
  });

  it("decodes iovec arrays", () => {
    const { mem, put } = memory();
    const a = put(new TextEncoder().encode("hello 3.250000"));
    const b = put(new TextEncoder().encode("\n"));
    const iov = put(encodeIovecs([{ base: a, len: 14 }, { base: b, len: 1 }]));
    expect(formatSyscall(nr("writev"), [1, iov, 2], 15, mem)).toBe('writev(1, [{iov_base="hello 3.250000", iov_len=14}, {iov_base="\\n", iov_len=1}], 2) = 15');
    const empty = put(encodeIovecs([{ base: a, len: 5 }, { base: 0, len: 0 }]));
    expect(formatSyscall(nr("writev"), [3, empty, 2], 5, mem)).toBe('writev(3, [{iov_base="hello", iov_len=5}, {iov_base=NULL, iov_len=0}], 2) = 5');
  });

  it("decodes stat results and *at flags", () => {
    const { mem, put } = memory();
    const zero = { sec: 0, nsec: 0 };
    const st = put(encodeStat({ dev: 1, ino: 2, nlink: 1, mode: 0o100644, uid: 0, gid: 0, rdev: 0, size: 5, blksize: 512, blocks: 1, atime: zero, mtime: zero, ctime: zero }));
    const path = put("/tmp/sysc/out.txt");
    expect(formatSyscall(nr("newfstatat"), [-100, path, st, 0], 0, mem)).toBe('newfstatat(AT_FDCWD, "/tmp/sysc/out.txt", {st_mode=S_IFREG|0644, st_size=5, ...}, 0) = 0');
    const chr = put(encodeStat({ dev: 1, ino: 2, nlink: 1, mode: 0o20666, uid: 0, gid: 0, rdev: 0x103, size: 0, blksize: 512, blocks: 0, atime: zero, mtime: zero, ctime: zero }));
    const empty = put("");
    expect(formatSyscall(nr("newfstatat"), [1, empty, chr, 0x1000], 0, mem)).toBe('newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0');
  });

  it("decodes the structs of signal, limit, clock, uname and getdents calls", () => {
    const { mem, put } = memory();
    const act = put(encodeSigaction({ handler: 0x401615n, flags: BigInt(0x04000000 | 0x10000000), restorer: 0x408780n, mask: 1n << 14n }));
    expect(formatSyscall(nr("rt_sigaction"), [2, act, 0, 8], 0, mem)).toBe("rt_sigaction(SIGINT, {sa_handler=0x401615, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x408780}, NULL, 8) = 0");
    const goAct = put(encodeSigaction({ handler: 0x466e40n, flags: BigInt(0x04000000 | 0x08000000 | 0x10000000 | 4), restorer: 0x466f80n, mask: 2n ** 64n - 1n }));
    expect(formatSyscall(nr("rt_sigaction"), [11, goAct, 0, 8], 0, mem)).toBe("rt_sigaction(SIGSEGV, {sa_handler=0x466e40, sa_mask=~[], sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_SIGINFO, sa_restorer=0x466f80}, NULL, 8) = 0");
    const set = put(Uint8Array.of(2, 2, 0, 0, 0, 0, 0, 0)); // INT (2) and USR1 (10)
    expect(formatSyscall(nr("rt_sigprocmask"), [0, set, 0, 8], 0, mem)).toBe("rt_sigprocmask(SIG_BLOCK, [INT USR1], NULL, 8) = 0");
    const full = put(Uint8Array.of(0xff, 0xff, 0xff, 0x7f, 0xfe, 0xff, 0xff, 0xff)); // all but RTMIN (32) and RT_1 (33)
    expect(formatSyscall(nr("rt_sigprocmask"), [2, full, 0, 8], 0, mem)).toBe("rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], NULL, 8) = 0");
    const ts = put(encodeTimespec({ sec: 10480, nsec: 987361644 }));
    expect(formatSyscall(nr("clock_gettime"), [1, ts], 0, mem)).toBe("clock_gettime(CLOCK_MONOTONIC, {tv_sec=10480, tv_nsec=987361644}) = 0");
    const lim = put(encodeRlimit({ cur: 8192 * 1024, max: Infinity }));
    expect(formatSyscall(nr("prlimit64"), [0, 3, 0, lim], 0, mem)).toBe("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
    const u = put(encodeUtsname({ sysname: "Linux", nodename: "vm", release: "6", version: "#1", machine: "x86_64", domainname: "" }));
    expect(formatSyscall(nr("uname"), [u], 0, mem)).toBe('uname({sysname="Linux", nodename="vm", ...}) = 0');
    const names = [".", "..", "out.txt", "s", "s.c", "t.c"];
    const dirents = put(Uint8Array.from(names.flatMap((name, i) => [...encodeDirent64({ ino: i + 1, off: i + 1, type: 8, name })])));
    expect(formatSyscall(nr("getdents64"), [3, dirents, 32768], 152, mem)).toBe(`getdents64(3, 0x${dirents.toString(16)} /* 6 entries */, 32768) = 152`);
  });

  it("names unsupported calls, and exits return ?", () => {
    const { mem } = memory();
    expect(formatSyscall(nr("fork"), [], -Errno.ENOSYS, mem)).toBe("fork() = -1 ENOSYS (Function not implemented)");
    expect(formatSyscall(nr("exit_group"), [0], undefined, mem)).toBe("exit_group(0) = ?");
    expect(formatSyscall(500, [1, 2, 3, 4, 5, 6], -Errno.ENOSYS, mem)).toBe("syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)");
    expect(formatSyscall(nr("prlimit64"), [0, 3, 0, 0x7ffe], 0, mem)).toBe("prlimit64(0, RLIMIT_STACK, NULL, 0x7ffe) = 0");
  });

  it("shows a bad pointer as its address instead of failing", () => {
    const { mem } = memory();
    expect(formatSyscall(nr("open"), [0x10, 0, 0], -Errno.EFAULT, mem)).toBe("open(0x10, O_RDONLY) = -1 EFAULT (Bad address)");
    expect(formatSyscall(nr("write"), [1, -1, 3], -Errno.EFAULT, mem)).toBe("write(1, 0xffffffffffffffff, 3) = -1 EFAULT (Bad address)");
  });

  it("escapes as strace: octal padded only before a digit", () => {
    expect(escapeBytes(Uint8Array.from([0, 0x31, 0, 0x41, 0x22, 0x5c, 0xff]))).toBe('\\0001\\0A\\"\\\\\\377');
  });
});

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
    const { mem, put } = memory();
    const longs = (...values: number[]): number => {
      const b = new Uint8Array(values.length * 8);
      values.forEach((x, i) => new DataView(b.buffer).setBigInt64(i * 8, BigInt(x), true));
      return put(b);
    };
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

  it("fcntl by command, ioctl's int arguments, sendfile's and copy_file_range's offsets", () => {
    const { mem, put } = memory();
    expect(formatSyscall(nr("fcntl"), [3, 3, 1], 0o102002, mem)).toBe("fcntl(3, F_GETFL) = 0x8402 (flags O_RDWR|O_APPEND|O_LARGEFILE)");
    expect(formatSyscall(nr("fcntl"), [3, 4, 0o4000], 0, mem)).toBe("fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0");
    expect(formatSyscall(nr("fcntl"), [3, 1, 0], 1, mem)).toBe("fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
    expect(formatSyscall(nr("fcntl"), [3, 1, 0], 0, mem)).toBe("fcntl(3, F_GETFD) = 0");
    expect(formatSyscall(nr("fcntl"), [3, 2, 1], 0, mem)).toBe("fcntl(3, F_SETFD, FD_CLOEXEC) = 0");
    expect(formatSyscall(nr("fcntl"), [3, 0, 40], 40, mem)).toBe("fcntl(3, F_DUPFD, 40) = 40");
    expect(formatSyscall(nr("fcntl"), [99, 3, 0], -9, mem)).toBe("fcntl(99, F_GETFL) = -1 EBADF (Bad file descriptor)");
    const seven = put(Uint8Array.of(7, 0, 0, 0));
    expect(formatSyscall(nr("ioctl"), [3, 0x541b, seven], 0, mem)).toBe("ioctl(3, FIONREAD, [7]) = 0");
    expect(formatSyscall(nr("ioctl"), [3, 0x5421, seven], 0, mem)).toBe("ioctl(3, FIONBIO, [7]) = 0");
    expect(formatSyscall(nr("ioctl"), [3, 0x5451, 0], 0, mem)).toBe("ioctl(3, FIOCLEX) = 0");
    expect(formatSyscall(nr("ioctl"), [3, 0x541b, 1], -14, mem)).toBe("ioctl(3, FIONREAD, 0x1) = -1 EFAULT (Bad address)");
    const off = put(Uint8Array.of(26, 0, 0, 0, 0, 0, 0, 0));
    expect(formatSyscall(nr("sendfile"), [4, 3, off, 100], 6, mem)).toBe("sendfile(4, 3, [26], 100) = 6");
    expect(formatSyscall(nr("sendfile"), [4, 3, 0, 5], 5, mem)).toBe("sendfile(4, 3, NULL, 5) = 5");
    expect(formatSyscall(nr("copy_file_range"), [3, off, 4, 0, 5, 0], 5, mem)).toBe("copy_file_range(3, [26], 4, NULL, 5, 0) = 5");
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
