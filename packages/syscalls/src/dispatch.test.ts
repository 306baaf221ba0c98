import { describe, expect, it } from "vitest";
import { Errno } from "./errno.js";
import { AT_FDCWD, AtFlag, FD_CLOEXEC, Fcntl, FileType, Ioctl, OpenFlag, Rlimit, Seek } from "./linux-constants.js";
import { decodeDirents64 } from "./structs/dirent64.js";
import { decodeRlimit } from "./structs/rlimit.js";
import { decodeSigaction, encodeSigaction } from "./structs/sigaction.js";
import { decodeStat, STAT_SIZE } from "./structs/stat.js";
import { decodeStatx } from "./structs/statx.js";
import { decodeTimespec } from "./structs/timespec.js";
import { decodeUtsname } from "./structs/utsname.js";
import { encodeIovecs } from "./structs/iovec.js";
import { createSyscalls } from "./dispatch.js";
import { FdTable } from "./fd-table.js";
import { BAD_ADDRESS, TestMachine } from "./test-machine.js";
import { readI32, readU32, readU64, writeU32 } from "./user-memory.js";

const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;
const { O_CREAT, O_TRUNC, O_CLOEXEC, O_DIRECTORY, O_NONBLOCK, O_APPEND } = OpenFlag;
const enc = (s: string) => new TextEncoder().encode(s);

/** A kernel stand-in with a break that grows and an FS base register. */
function kernelMock() {
  let brk = 0x28f5c000;
  const calls: string[] = [];
  return {
    calls,
    hooks: {
      brk: (addr: number) => {
        if (addr !== 0) brk = addr;
        return brk;
      },
      archPrctl: (code: number, addr: number) => {
        calls.push(`arch_prctl ${code.toString(16)} ${addr.toString(16)}`);
        return 0;
      },
      mprotect: () => 0,
      mmap: (addr: number, len: number, _prot: number, _flags: number, file: unknown) => {
        calls.push(`mmap ${len} ${file === undefined ? "anon" : "file"}`);
        return addr === 0 ? 0x7f0000000000 : addr;
      },
    },
  };
}

describe("a static glibc program's life, call by call", () => {
  it("runs the calls `strace -f` shows for hello/files/printf, with strace's text", () => {
    const k = kernelMock();
    const m = new TestMachine({ kernel: k.hooks, programPath: "/tmp/sysc/tg" });
    m.fs.mkdir("/tmp/sysc", { recursive: true });
    const p = m.alloc(4096);
    const lines: string[] = [];
    const run = (name: string, ...args: number[]) => {
      const r = m.call(name, ...args);
      lines.push(m.lastTrace);
      return r;
    };
    expect(run("brk", 0)).toBe(0x28f5c000);
    expect(run("arch_prctl", 0x1002, 0x28f5c380)).toBe(0);
    expect(run("set_tid_address", 0x28f5c650)).toBe(1);
    expect(run("set_robust_list", 0x28f5c660, 24)).toBe(0);
    expect(run("rseq", 0x28f5cca0, 0x20, 0, 0x53053053)).toBe(-Errno.ENOSYS);
    expect(run("prlimit64", 0, Rlimit.RLIMIT_STACK, 0, p)).toBe(0);
    expect(decodeRlimit(m.mem.read(p, 16)!)).toEqual({ cur: 2 * 1024 * 1024, max: Infinity }); // Nanos's PROCESS_STACK_SIZE
    expect(run("readlink", m.str("/proc/self/exe"), p, 4096)).toBe(12);
    expect(run("getrandom", p, 8, 1)).toBe(8);
    expect(run("mprotect", 0x4a1000, 16384, 1)).toBe(0);
    const empty = m.str("");
    expect(run("newfstatat", 1, empty, p, AtFlag.AT_EMPTY_PATH)).toBe(0);
    expect(decodeStat(m.mem.read(p, STAT_SIZE)!).mode & 0o170000).toBe(FileType.S_IFCHR);
    expect(run("ioctl", 1, Ioctl.TCGETS, p)).toBe(0); // the console is a terminal
    const out = m.str("/tmp/sysc/out.txt");
    expect(run("openat", AT_FDCWD, out, O_WRONLY | O_CREAT | O_TRUNC, 0o666)).toBe(3);
    expect(run("newfstatat", 3, empty, p, AtFlag.AT_EMPTY_PATH)).toBe(0);
    expect(run("ioctl", 3, Ioctl.TCGETS, p)).toBe(-Errno.ENOTTY);
    expect(run("write", 3, m.alloc(enc("x=42\n")), 5)).toBe(5);
    expect(run("close", 3)).toBe(0);
    expect(run("openat", AT_FDCWD, out, O_RDONLY)).toBe(3);
    expect(run("read", 3, p, 4096)).toBe(5);
    expect(run("close", 3)).toBe(0);
    expect(run("openat", AT_FDCWD, m.str("/tmp/sysc"), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_DIRECTORY)).toBe(3);
    expect(run("getdents64", 3, p, 32768)).toBe(24 + 24 + 32);
    expect(run("getdents64", 3, p, 32768)).toBe(0);
    expect(run("close", 3)).toBe(0);
    expect(run("newfstatat", AT_FDCWD, out, p, 0)).toBe(0);
    expect(run("mkdir", m.str("/tmp/sysc/dd"), 0o755)).toBe(0);
    expect(run("rmdir", m.str("/tmp/sysc/dd"))).toBe(0);
    expect(run("unlink", out)).toBe(0);
    expect(run("write", 2, m.alloc(enc("err\n")), 4)).toBe(4);
    expect(run("write", 1, m.alloc(enc("hello 3.250000\n")), 15)).toBe(15);
    run("exit_group", 0);
    expect(m.exits).toEqual([{ code: 0, group: true }]);
    expect(new TextDecoder().decode(Uint8Array.from(m.stdout))).toBe("hello 3.250000\n");
    expect(m.internalErrors).toEqual([]);

    // The lines strace printed for the same calls (where no address or pid is shown).
    const straceSaid = [
      "brk(NULL) = 0x28f5c000",
      "arch_prctl(ARCH_SET_FS, 0x28f5c380) = 0",
      "set_robust_list(0x28f5c660, 24) = 0",
      "mprotect(0x4a1000, 16384, PROT_READ) = 0",
      'openat(AT_FDCWD, "/tmp/sysc/out.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3',
      'write(3, "x=42\\n", 5) = 5',
      "close(3) = 0",
      'openat(AT_FDCWD, "/tmp/sysc/out.txt", O_RDONLY) = 3',
      'read(3, "x=42\\n", 4096) = 5',
      'openat(AT_FDCWD, "/tmp/sysc", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3',
      'mkdir("/tmp/sysc/dd", 0755) = 0',
      'rmdir("/tmp/sysc/dd") = 0',
      'unlink("/tmp/sysc/out.txt") = 0',
      'write(2, "err\\n", 4) = 4',
      'write(1, "hello 3.250000\\n", 15) = 15',
      "exit_group(0) = ?",
    ];
    for (const line of straceSaid) expect(lines).toContain(line);
    expect(lines).toContain(`readlink("/proc/self/exe", "/tmp/sysc/tg", 4096) = 12`);
  });

  it("runs musl's: writev to the console, open with O_LARGEFILE, fcntl FD_CLOEXEC, mmap", () => {
    const k = kernelMock();
    const m = new TestMachine({ kernel: k.hooks });
    const ws = m.alloc(8);
    expect(m.call("ioctl", 1, Ioctl.TIOCGWINSZ, ws)).toBe(0);
    expect([m.mem.read(ws, 4)![0], m.mem.read(ws + 2, 1)![0]]).toEqual([24, 80]);
    const a = m.alloc(enc("hello 3.250000"));
    const b = m.alloc(enc("\n"));
    expect(m.call("writev", 1, m.alloc(encodeIovecs([{ base: a, len: 14 }, { base: b, len: 1 }])), 2)).toBe(15);
    expect(m.lastTrace).toBe('writev(1, [{iov_base="hello 3.250000", iov_len=14}, {iov_base="\\n", iov_len=1}], 2) = 15');
    const fd = m.call("open", m.str("/out.txt"), O_WRONLY | O_CREAT | O_TRUNC | OpenFlag.O_LARGEFILE, 0o666);
    expect(fd).toBe(3);
    expect(m.call("mmap", 0, 4096, 3, 0x22, -1, 0)).toBe(0x7f0000000000);
    expect(m.call("writev", 3, m.alloc(encodeIovecs([{ base: a, len: 5 }, { base: 0, len: 0 }])), 2)).toBe(5);
    expect(m.call("close", 3)).toBe(0);
    const dir = m.call("open", m.str("/"), O_RDONLY | OpenFlag.O_LARGEFILE | O_CLOEXEC | O_DIRECTORY);
    expect(m.call("fcntl", dir, Fcntl.F_SETFD, FD_CLOEXEC)).toBe(0);
    expect(m.call("fcntl", dir, Fcntl.F_GETFD)).toBe(FD_CLOEXEC);
    expect(new TextDecoder().decode(Uint8Array.from(m.stdout))).toBe("hello 3.250000\n");
    expect(new TextDecoder().decode(m.fs.readFile("/out.txt"))).toBe("hello");
  });
});

describe("EFAULT for every bad pointer", () => {
  it("paths, output structs and buffers", () => {
    const m = new TestMachine({ kernel: kernelMock().hooks });
    m.fs.writeFile("/f", "data");
    const fd = m.call("open", m.str("/f"), O_RDWR);
    const dirfd = m.call("open", m.str("/"), O_RDONLY | O_DIRECTORY);
    const bad = BAD_ADDRESS;
    const good = m.alloc(4096);
    const cases: Array<[string, number[]]> = [
      ["open", [bad, 0]], ["openat", [AT_FDCWD, bad, 0]], ["stat", [bad, good]], ["stat", [m.str("/f"), bad]],
      ["lstat", [bad, good]], ["fstat", [fd, bad]], ["newfstatat", [AT_FDCWD, m.str("/f"), bad, 0]], ["statx", [AT_FDCWD, m.str("/f"), 0, 0x7ff, bad]],
      ["read", [fd, bad, 4]], ["write", [fd, bad, 4]], ["pread64", [fd, bad, 4, 0]], ["pwrite64", [fd, bad, 4, 0]],
      ["readv", [fd, bad, 1]], ["writev", [fd, bad, 1]], ["access", [bad, 0]], ["mkdir", [bad, 0]], ["rmdir", [bad]],
      ["unlink", [bad]], ["rename", [bad, good]], ["symlink", [m.str("/f"), bad]], ["readlink", [m.str("/proc/self/exe"), bad, 10]],
      ["chdir", [bad]], ["getcwd", [bad, 100]], ["getdents64", [dirfd, bad, 4096]], ["uname", [bad]], ["getrandom", [bad, 8, 0]],
      ["clock_gettime", [0, bad]], ["gettimeofday", [bad, 0]], ["time", [bad]], ["sysinfo", [bad]], ["getrlimit", [7, bad]],
      ["prlimit64", [0, 7, 0, bad]], ["prlimit64", [0, 7, bad, 0]], ["getrusage", [0, bad]], ["times", [bad]], ["sched_getaffinity", [0, 8, bad]],
      ["rt_sigaction", [10, bad, 0, 8]], ["rt_sigaction", [10, 0, bad, 8]], ["rt_sigprocmask", [0, bad, 0, 8]], ["sigaltstack", [bad, 0]],
      ["futex", [bad, 0, 0, 0, 0, 0]], ["statfs", [m.str("/"), bad]], ["fstatfs", [fd, bad]], ["truncate", [bad, 0]], ["utimes", [m.str("/f"), bad]],
      ["ioctl", [0, Ioctl.TCGETS, bad]], ["ioctl", [fd, Ioctl.FIONREAD, bad]], ["get_robust_list", [0, bad, good]], ["prctl", [16, bad]],
      ["capget", [bad, 0]], ["sendfile", [fd, fd, bad, 1]], ["creat", [bad, 0o644]], ["utimensat", [AT_FDCWD, m.str("/f"), bad, 0]],
    ];
    for (const [name, args] of cases) expect(`${name}: ${m.call(name, ...args)}`).toBe(`${name}: ${-Errno.EFAULT}`);
    expect(m.internalErrors).toEqual([]);
  });

  it("a failed getdents64 copy does not lose entries", () => {
    const m = new TestMachine();
    const dirfd = m.call("open", m.str("/"), O_RDONLY | O_DIRECTORY);
    expect(m.call("getdents64", dirfd, BAD_ADDRESS, 4096)).toBe(-Errno.EFAULT);
    const buf = m.alloc(4096);
    const n = m.call("getdents64", dirfd, buf, 4096);
    expect(decodeDirents64(m.mem.read(buf, n)!)[0]!.name).toBe(".");
  });

  it("a read that faults part-way returns what it copied, and the offset matches", () => {
    const m = new TestMachine();
    m.fs.writeFile("/big", new Uint8Array(200_000).fill(1));
    const fd = m.call("open", m.str("/big"), O_RDONLY);
    const end = m.mem.base + m.mem.bytes.length;
    const at = end - 70_000; // room for 70 000 bytes: every byte before the fault is delivered, as on Linux
    expect(m.call("read", fd, at, 200_000)).toBe(70_000);
    expect(m.call("lseek", fd, 0, Seek.SEEK_CUR)).toBe(70_000);
    expect(m.mem.read(end - 1, 1)).toEqual(Uint8Array.of(1));
    // A write from a buffer that runs into the fault writes the readable part.
    const out = m.call("open", m.str("/out"), 0o102 /* O_RDWR|O_CREAT */, 0o644);
    expect(m.call("write", out, end - 5000, 9000)).toBe(5000);
    expect(m.fs.stat("/out").size).toBe(5000);
    expect(m.call("write", out, end, 10)).toBe(-Errno.EFAULT);
  });
});

describe("process and time calls", () => {
  it("uname says Nanos", () => {
    const m = new TestMachine();
    const buf = m.alloc(390);
    expect(m.call("uname", buf)).toBe(0);
    const u = decodeUtsname(m.mem.read(buf, 390)!);
    expect(u.sysname).toBe("Nanos");
    expect(u.machine).toBe("x86_64");
    expect(u.release.startsWith("5.0-")).toBe(true);
    expect(u.nodename).toBe("Nanos");
  });

  it("pids, tids, limits, clocks", () => {
    const m = new TestMachine();
    expect(m.call("getpid")).toBe(1);
    expect(m.call("gettid")).toBe(1);
    const buf = m.alloc(64);
    expect(m.call("getrlimit", Rlimit.RLIMIT_NOFILE, buf)).toBe(0);
    expect(decodeRlimit(m.mem.read(buf, 16)!)).toEqual({ cur: 65536, max: 65536 });
    expect(m.call("prlimit64", 5, Rlimit.RLIMIT_NOFILE, 0, buf)).toBe(-Errno.ESRCH);
    expect(m.call("getrlimit", 99, buf)).toBe(-Errno.EINVAL);
    expect(m.call("clock_gettime", 0, buf)).toBe(0);
    expect(decodeTimespec(m.mem.read(buf, 16)!)).toEqual({ sec: 1_700_000_000, nsec: 123_456_789 });
    expect(m.call("clock_gettime", 1, buf)).toBe(0);
    expect(decodeTimespec(m.mem.read(buf, 16)!)).toEqual({ sec: 5, nsec: 250_000_000 });
    expect(m.call("clock_gettime", 99, buf)).toBe(-Errno.EINVAL);
    expect(m.call("gettimeofday", buf, 0)).toBe(0);
    expect(decodeTimespec(m.mem.read(buf, 16)!)).toEqual({ sec: 1_700_000_000, nsec: 123_456 });
    expect(m.call("time", 0)).toBe(1_700_000_000);
    expect(m.call("sched_getaffinity", 0, 8, buf)).toBe(8);
    expect(m.mem.read(buf, 1)![0]).toBe(1);
    expect(m.call("sched_getaffinity", 0, 4, buf)).toBe(-Errno.EINVAL);
    expect(m.call("umask", 0o077)).toBe(0o022);
    expect(m.call("umask", 0o022)).toBe(0o077);
  });

  it("sigaltstack, prctl names, capget, getcpu, robust lists, clock_getres, times, getrusage, sysinfo", () => {
    const m = new TestMachine();
    const ss = m.alloc(24);
    const old = m.alloc(24);
    const v = new DataView(new ArrayBuffer(24));
    v.setBigUint64(0, 0x20000n, true);
    v.setBigUint64(16, 8192n, true);
    m.mem.write(ss, new Uint8Array(v.buffer));
    expect(m.call("sigaltstack", 0, old)).toBe(0);
    expect(readU32(m.mem, old + 8)).toBe(2); // SS_DISABLE at first
    expect(m.call("sigaltstack", ss, 0)).toBe(0);
    expect(m.call("sigaltstack", 0, old)).toBe(0);
    expect([readU64(m.mem, old), readU32(m.mem, old + 8), readU64(m.mem, old + 16)]).toEqual([0x20000, 0, 8192]);
    v.setBigUint64(16, 100n, true);
    m.mem.write(ss, new Uint8Array(v.buffer));
    expect(m.call("sigaltstack", ss, 0)).toBe(-Errno.ENOMEM);

    const name = m.str("worker-thread-name-too-long");
    expect(m.call("prctl", 15, name)).toBe(0);
    const got = m.alloc(16);
    expect(m.call("prctl", 16, got)).toBe(0);
    expect(m.text(got, 16)).toBe("worker-thread-n\0");
    expect(m.call("prctl", 9999, 0)).toBe(-Errno.EINVAL); // Linux refuses unknown options (Nanos returns 0)

    const hdr = m.alloc(8);
    writeU32(m.mem, hdr, 0x20080522);
    const data = m.alloc(24);
    m.mem.write(data, new Uint8Array(24).fill(0xff));
    expect(m.call("capget", hdr, data)).toBe(0);
    expect(m.mem.read(data, 24)).toEqual(new Uint8Array(24));
    writeU32(m.mem, hdr, 1);
    expect(m.call("capget", hdr, data)).toBe(-Errno.EINVAL);
    expect(readU32(m.mem, hdr)).toBe(0x20080522);

    const cpu = m.alloc(8);
    writeU32(m.mem, cpu, 7);
    expect(m.call("getcpu", cpu, 0, 0)).toBe(0);
    expect(readU32(m.mem, cpu)).toBe(0);

    expect(m.call("set_robust_list", 0x1234, 24)).toBe(0);
    expect(m.call("set_robust_list", 0x1234, 16)).toBe(-Errno.EINVAL);
    const head = m.alloc(8);
    const len = m.alloc(8);
    expect(m.call("get_robust_list", 0, head, len)).toBe(0);
    expect([readU64(m.mem, head), readU64(m.mem, len)]).toEqual([0x1234, 24]);

    const ts = m.alloc(16);
    expect(m.call("clock_getres", 1, ts)).toBe(0);
    expect(decodeTimespec(m.mem.read(ts, 16)!)).toEqual({ sec: 0, nsec: 1 });
    expect(m.call("clock_getres", 6, ts)).toBe(0);
    expect(decodeTimespec(m.mem.read(ts, 16)!).nsec).toBe(4_000_000);

    expect(m.call("times", 0)).toBe(525); // 5.25 s of uptime in 100 Hz ticks
    const ru = m.alloc(144);
    expect(m.call("getrusage", 0, ru)).toBe(0);
    expect(decodeTimespec(m.mem.read(ru, 16)!)).toEqual({ sec: 5, nsec: 250_000 }); // a timeval: µs
    expect(m.call("getrusage", 7, ru)).toBe(-Errno.EINVAL);

    const si = m.alloc(112);
    expect(m.call("sysinfo", si)).toBe(0);
    const info = new DataView(m.mem.read(si, 112)!.buffer);
    expect([Number(info.getBigInt64(0, true)), Number(info.getBigUint64(32, true)), info.getUint16(80, true), info.getUint32(104, true)]).toEqual([5, 512 * 2 ** 20, 1, 1]);
  });

  it("sysinfo reports the kernel's free memory", () => {
    const m = new TestMachine({ ctx: { freeMemory: () => 100 * 2 ** 20, limits: { memory: 256 * 2 ** 20 } } });
    const si = m.alloc(112);
    expect(m.call("sysinfo", si)).toBe(0);
    const v = new DataView(m.mem.read(si, 112)!.buffer);
    expect([Number(v.getBigUint64(32, true)), Number(v.getBigUint64(40, true))]).toEqual([256 * 2 ** 20, 100 * 2 ** 20]);
  });

  it("exit ends the thread, exit_group the process, with the low 8 bits", () => {
    const m = new TestMachine();
    m.call("exit", 3);
    m.call("exit_group", 0x1ff);
    expect(m.exits).toEqual([{ code: 3, group: false }, { code: 0xff, group: true }]);
    expect(m.traces.map((t) => t.text)).toEqual(["exit(3) = ?", "exit_group(511) = ?"]);
  });

  it("getrandom and /dev/urandom use the injected source", () => {
    const m = new TestMachine();
    const a = m.alloc(16);
    const b = m.alloc(16);
    expect(m.call("getrandom", a, 16, 0)).toBe(16);
    const m2 = new TestMachine();
    const fd = m2.call("open", m2.str("/dev/urandom"), O_RDONLY);
    expect(m2.call("read", fd, b, 16)).toBe(16);
    expect(m2.mem.read(b, 16)).toEqual(m.mem.read(a, 16));
    expect(m.call("getrandom", a, 16, 0x10)).toBe(-Errno.EINVAL);
    expect(m.call("getrandom", a, 0, 0)).toBe(0); // Linux: nothing asked, nothing given (Nanos says EINVAL)
    expect(m.call("getrandom", a, 4, 4)).toBe(4); // GRND_INSECURE (Linux 5.6; Nanos refuses it)
  });
});

describe("fd calls", () => {
  it("dup shares the offset; dup2 and dup3 follow Linux", () => {
    const m = new TestMachine();
    m.fs.writeFile("/f", "abcdef");
    const fd = m.call("open", m.str("/f"), O_RDONLY);
    const copy = m.call("dup", fd);
    const buf = m.alloc(16);
    m.call("read", fd, buf, 2);
    expect(m.call("read", copy, buf, 2)).toBe(2);
    expect(m.text(buf, 2)).toBe("cd");
    expect(m.call("dup2", fd, 10)).toBe(10);
    expect(m.call("dup2", fd, fd)).toBe(fd);
    expect(m.call("dup2", 77, 78)).toBe(-Errno.EBADF);
    expect(m.call("dup3", fd, fd, 0)).toBe(-Errno.EINVAL);
    expect(m.call("dup3", fd, 11, O_CLOEXEC)).toBe(11);
    expect(m.call("fcntl", 11, Fcntl.F_GETFD)).toBe(FD_CLOEXEC);
    expect(m.call("fcntl", fd, Fcntl.F_DUPFD_CLOEXEC, 20)).toBe(20);
    expect(m.call("close", 999)).toBe(-Errno.EBADF);
  });

  it("F_GETFL/F_SETFL change only status flags, shared with dups", () => {
    const m = new TestMachine();
    const fd = m.call("open", m.str("/log"), O_WRONLY | O_CREAT);
    const copy = m.call("dup", fd);
    expect(m.call("fcntl", fd, Fcntl.F_GETFL)).toBe(O_WRONLY | OpenFlag.O_LARGEFILE);
    expect(m.call("fcntl", fd, Fcntl.F_SETFL, O_APPEND | O_RDWR)).toBe(0);
    expect(m.call("fcntl", copy, Fcntl.F_GETFL)).toBe(O_WRONLY | O_APPEND | OpenFlag.O_LARGEFILE);
    const flock = m.alloc(32);
    expect(m.call("fcntl", fd, Fcntl.F_SETLK, flock)).toBe(0);
    expect(m.call("fcntl", fd, Fcntl.F_GETLK, flock)).toBe(0);
    expect(readU32(m.mem, flock)! & 0xffff).toBe(2); // F_UNLCK
    expect(m.call("fcntl", fd, 12345)).toBe(-Errno.EINVAL);
  });

  it("ioctl: FIONBIO, FIONREAD, FIOCLEX; TCGETS is ENOTTY except on the console", () => {
    const m = new TestMachine();
    m.fs.writeFile("/f", "12345");
    const fd = m.call("open", m.str("/f"), O_RDONLY);
    const arg = m.alloc(8);
    writeU32(m.mem, arg, 1);
    expect(m.call("ioctl", fd, Ioctl.FIONBIO, arg)).toBe(0);
    expect(m.call("fcntl", fd, Fcntl.F_GETFL) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(m.call("ioctl", fd, Ioctl.FIONREAD, arg)).toBe(0);
    expect(readI32(m.mem, arg)).toBe(5);
    expect(m.call("ioctl", fd, Ioctl.FIOCLEX, 0)).toBe(0);
    expect(m.call("fcntl", fd, Fcntl.F_GETFD)).toBe(FD_CLOEXEC);
    expect(m.call("ioctl", fd, Ioctl.TCGETS, arg)).toBe(-Errno.ENOTTY);
    expect(m.call("ioctl", 0, Ioctl.TCGETS, m.alloc(64))).toBe(0);
    expect(m.call("ioctl", fd, 0xdead, arg)).toBe(-Errno.ENOTTY);
    const dir = m.call("open", m.str("/dev/null"), O_RDONLY);
    expect(m.call("ioctl", dir, Ioctl.TCGETS, arg)).toBe(-Errno.ENOTTY);
  });

  it("readv/writev/preadv/pwritev gather and scatter", () => {
    const m = new TestMachine();
    const fd = m.call("open", m.str("/v"), O_RDWR | O_CREAT);
    const a = m.alloc(enc("abc"));
    const b = m.alloc(enc("defg"));
    expect(m.call("writev", fd, m.alloc(encodeIovecs([{ base: a, len: 3 }, { base: b, len: 4 }])), 2)).toBe(7);
    const x = m.alloc(2);
    const y = m.alloc(10);
    expect(m.call("preadv", fd, m.alloc(encodeIovecs([{ base: x, len: 2 }, { base: y, len: 10 }])), 2, 1)).toBe(6);
    expect(m.text(x, 2) + m.text(y, 4)).toBe("bcdefg");
    expect(m.call("pwritev", fd, m.alloc(encodeIovecs([{ base: a, len: 1 }])), 1, 6)).toBe(1);
    expect(new TextDecoder().decode(m.fs.readFile("/v"))).toBe("abcdefa");
    expect(m.call("readv", fd, x, -1)).toBe(-Errno.EINVAL);
    expect(m.call("readv", fd, x, 1025)).toBe(-Errno.EINVAL);
    expect(m.call("pread64", fd, x, 1, -1)).toBe(-Errno.EINVAL);
    expect(m.call("lseek", fd, 0, Seek.SEEK_END)).toBe(7);
  });

  it("statx, old getdents, getcwd, chdir, fchdir, *at with a directory fd", () => {
    const m = new TestMachine();
    m.fs.mkdir("/a/b", { recursive: true });
    m.fs.writeFile("/a/b/file", "xyz");
    const buf = m.alloc(4096);
    expect(m.call("statx", AT_FDCWD, m.str("/a/b/file"), 0, 0x7ff, buf)).toBe(0);
    expect(decodeStatx(m.mem.read(buf, 256)!).size).toBe(3);
    const dfd = m.call("open", m.str("/a"), O_RDONLY | O_DIRECTORY);
    expect(m.call("openat", dfd, m.str("b/file"), O_RDONLY)).toBeGreaterThan(0);
    expect(m.call("openat", 0, m.str("b/file"), O_RDONLY)).toBe(-Errno.ENOTDIR);
    expect(m.call("openat", 0xffffff9c, m.str("a/b/file"), O_RDONLY)).toBeGreaterThan(0); // AT_FDCWD as a 32-bit register value
    expect(m.call("fchdir", dfd)).toBe(0);
    expect(m.call("getcwd", buf, 100)).toBe(3);
    expect(m.text(buf, 3)).toBe("/a\0");
    expect(m.call("getcwd", buf, 2)).toBe(-Errno.ERANGE);
    expect(m.call("chdir", m.str("b"))).toBe(0);
    expect(m.call("access", m.str("file"), 4)).toBe(0);
    expect(m.call("access", m.str("file"), 8)).toBe(-Errno.EINVAL);
    const bfd = m.call("open", m.str("."), O_RDONLY | O_DIRECTORY);
    const n = m.call("getdents", bfd, buf, 4096);
    expect(n).toBe(3 * 24);
    const third = m.mem.read(buf + 48, 24)!;
    expect(new TextDecoder().decode(third.subarray(18, 22))).toBe("file");
    expect(third[23]).toBe(8); // DT_REG in the record's last byte
    expect(m.call("unlinkat", AT_FDCWD, m.str("file"), 0)).toBe(0);
    expect(m.call("unlinkat", dfd, m.str("b"), AtFlag.AT_REMOVEDIR)).toBe(0);
    expect(m.call("getcwd", buf, 100)).toBe(-Errno.ENOENT);
  });

  it("O_CLOEXEC on open, readlink truncation, renameat2 flags, fds the kernel installed first", () => {
    const m = new TestMachine();
    m.fs.writeFile("/a", "1");
    m.fs.writeFile("/b", "2");
    m.fs.symlink("/a/long/target", "/l");
    const fd = m.call("open", m.str("/a"), O_RDONLY | O_CLOEXEC);
    expect(m.call("fcntl", fd, Fcntl.F_GETFD)).toBe(FD_CLOEXEC);
    expect(m.call("fcntl", m.call("open", m.str("/a"), O_RDONLY), Fcntl.F_GETFD)).toBe(0);
    const buf = m.alloc(16);
    expect(m.call("readlink", m.str("/l"), buf, 4)).toBe(4);
    expect(m.text(buf, 4)).toBe("/a/l");
    expect(m.call("readlink", m.str("/l"), buf, 0)).toBe(-Errno.EINVAL);
    expect(m.call("readlink", m.str("/a"), buf, 16)).toBe(-Errno.EINVAL);
    expect(m.call("renameat2", AT_FDCWD, m.str("/a"), AT_FDCWD, m.str("/b"), 1)).toBe(-Errno.EEXIST);
    // RENAME_EXCHANGE swaps the two (and back); with RENAME_NOREPLACE it is EINVAL.
    const aBefore = m.vfs.stat("/", "/a", false).ino;
    expect(m.call("renameat2", AT_FDCWD, m.str("/a"), AT_FDCWD, m.str("/b"), 2)).toBe(0);
    expect(m.vfs.stat("/", "/b", false).ino).toBe(aBefore);
    expect(m.call("renameat2", AT_FDCWD, m.str("/a"), AT_FDCWD, m.str("/b"), 2)).toBe(0);
    expect(m.vfs.stat("/", "/a", false).ino).toBe(aBefore);
    expect(m.call("renameat2", AT_FDCWD, m.str("/a"), AT_FDCWD, m.str("/b"), 3)).toBe(-Errno.EINVAL);
    expect(m.call("renameat2", AT_FDCWD, m.str("/a"), AT_FDCWD, m.str("/c"), 1)).toBe(0);
    expect(m.fs.exists("/c")).toBe(true);

    // A kernel that installs its own fd 1 keeps it; the console fills only the free ones.
    const fds = new FdTable();
    const mine = m.vfs.open("/", "/b", O_WRONLY);
    fds.install(m.vfs.openConsole(O_RDWR, { write: () => {} }), false);
    fds.install(mine, false);
    createSyscalls({ memory: m.mem, vfs: m.vfs, fds, console: { stdout: () => {}, stderr: () => {} }, kernel: { exit: () => {} }, random: (n) => new Uint8Array(n) });
    expect(fds.get(1)).toBe(mine);
    expect(fds.fds()).toEqual([0, 1, 2]);
  });

  it("sendfile copies between descriptions, with or without an offset pointer", () => {
    const m = new TestMachine();
    m.fs.writeFile("/src", "0123456789");
    const src = m.call("open", m.str("/src"), O_RDONLY);
    const dst = m.call("open", m.str("/dst"), O_WRONLY | O_CREAT);
    const off = m.alloc(8);
    writeU32(m.mem, off, 4);
    expect(m.call("sendfile", dst, src, off, 3)).toBe(3);
    expect(readU64(m.mem, off)).toBe(7);
    expect(m.call("sendfile", 1, src, 0, 100)).toBe(10);
    expect(new TextDecoder().decode(m.fs.readFile("/dst"))).toBe("456");
    expect(new TextDecoder().decode(Uint8Array.from(m.stdout))).toBe("0123456789");
  });

  it("truncate, ftruncate, fallocate, fsync reach TFS", () => {
    const m = new TestMachine();
    const fd = m.call("open", m.str("/t"), O_RDWR | O_CREAT);
    expect(m.call("fallocate", fd, 0, 0, 100)).toBe(0);
    expect(m.fs.stat("/t").size).toBe(100);
    expect(m.call("ftruncate", fd, 10)).toBe(0);
    expect(m.call("truncate", m.str("/t"), 4)).toBe(0);
    expect(m.fs.stat("/t").size).toBe(4);
    expect(m.call("ftruncate", fd, -1)).toBe(-Errno.EINVAL);
    // FALLOC_FL_KEEP_SIZE leaves the length; a hole punched with it reads as zeros; other modes are refused.
    expect(m.call("fallocate", fd, 1, 0, 10)).toBe(0);
    expect(m.fs.stat("/t").size).toBe(4);
    expect(m.call("pwrite64", fd, m.str("abcd"), 4, 0)).toBe(4);
    expect(m.call("fallocate", fd, 3, 1, 2)).toBe(0);
    expect(m.fs.readFile("/t")).toEqual(Uint8Array.from([97, 0, 0, 100]));
    expect(m.call("fallocate", fd, 2, 0, 10)).toBe(-Errno.EOPNOTSUPP);
    expect(m.call("fallocate", fd, 8, 0, 10)).toBe(-Errno.EOPNOTSUPP);
    expect(m.call("fsync", fd)).toBe(0);
    expect(m.call("fsync", 99)).toBe(-Errno.EBADF);
  });
});

describe("console and time stamps", () => {
  it("fd 0 reads the injected input, then end of input", () => {
    const m = new TestMachine();
    m.stdin = [enc("line 1\n"), enc("rest")];
    const buf = m.alloc(64);
    expect(m.call("read", 0, buf, 64)).toBe(7);
    expect(m.text(buf, 7)).toBe("line 1\n");
    expect(m.call("read", 0, buf, 64)).toBe(4);
    expect(m.call("read", 0, buf, 64)).toBe(0);
    expect(m.call("lseek", 0, 0, Seek.SEEK_SET)).toBe(-Errno.ESPIPE);
    expect(m.call("write", 0, buf, 4)).toBe(4); // the console is read-write on every fd, as on Nanos
  });

  it("utimes, utimensat (UTIME_OMIT, UTIME_NOW) and utime set what stat reports", () => {
    const m = new TestMachine();
    m.fs.writeFile("/f", "x");
    const f = m.str("/f");
    const st = m.alloc(STAT_SIZE);
    const times = m.alloc(32);
    const v = new DataView(new ArrayBuffer(32));
    v.setBigInt64(0, 1000n, true);
    v.setBigInt64(8, 500_000n, true);
    v.setBigInt64(16, 2000n, true);
    v.setBigInt64(24, 0n, true);
    m.mem.write(times, new Uint8Array(v.buffer));
    expect(m.call("utimes", f, times)).toBe(0);
    m.call("stat", f, st);
    const s1 = decodeStat(m.mem.read(st, STAT_SIZE)!);
    expect([s1.atime.sec, Math.round(s1.atime.nsec / 1e6), s1.mtime.sec]).toEqual([1000, 500, 2000]);
    v.setBigInt64(8, BigInt(2 ** 30 - 2), true); // atime: UTIME_OMIT
    v.setBigInt64(24, BigInt(2 ** 30 - 1), true); // mtime: UTIME_NOW
    m.mem.write(times, new Uint8Array(v.buffer));
    expect(m.call("utimensat", AT_FDCWD, f, times, 0)).toBe(0);
    m.call("stat", f, st);
    const s2 = decodeStat(m.mem.read(st, STAT_SIZE)!);
    expect([s2.atime.sec, s2.mtime.sec]).toEqual([1000, 1_700_000_000]);
    v.setBigInt64(8, 1_000_000_000n, true);
    m.mem.write(times, new Uint8Array(v.buffer));
    expect(m.call("utimensat", AT_FDCWD, f, times, 0)).toBe(-Errno.EINVAL);
    expect(m.call("utime", f, 0)).toBe(0);
    m.call("stat", f, st);
    expect(decodeStat(m.mem.read(st, STAT_SIZE)!).atime.sec).toBe(1_700_000_000);
  });

  it("O_PATH gives a location: fstat and *at work, I/O is EBADF", () => {
    const m = new TestMachine();
    m.fs.mkdir("/d");
    m.fs.writeFile("/d/f", "data");
    m.fs.symlink("/d/f", "/link");
    const dir = m.call("open", m.str("/d"), OpenFlag.O_PATH);
    expect(m.call("openat", dir, m.str("f"), O_RDONLY)).toBeGreaterThan(0);
    const file = m.call("open", m.str("/d/f"), OpenFlag.O_PATH | O_CREAT | O_TRUNC);
    const st = m.alloc(STAT_SIZE);
    expect(m.call("fstat", file, st)).toBe(0);
    expect(decodeStat(m.mem.read(st, STAT_SIZE)!).size).toBe(4); // O_TRUNC was dropped
    for (const [name, args] of [["read", [file, st, 4]], ["lseek", [file, 0, 0]], ["ftruncate", [file, 0]], ["fsync", [file]], ["ioctl", [file, Ioctl.FIONREAD, st]], ["fadvise64", [file, 0, 0, 0]]] as const) {
      expect(`${name} ${m.call(name, ...args)}`).toBe(`${name} ${-Errno.EBADF}`);
    }
    expect(m.call("fcntl", file, Fcntl.F_GETFL) & OpenFlag.O_PATH).toBe(OpenFlag.O_PATH);
    const link = m.call("open", m.str("/link"), OpenFlag.O_PATH | OpenFlag.O_NOFOLLOW);
    expect(m.call("fstat", link, st)).toBe(0);
    expect(decodeStat(m.mem.read(st, STAT_SIZE)!).mode & 0o170000).toBe(FileType.S_IFLNK);
    expect(m.call("open", m.str("/link"), O_RDONLY | OpenFlag.O_NOFOLLOW)).toBe(-Errno.ELOOP);
  });

  it("statfs reports TFS sectors; a path of 4096 bytes is ENAMETOOLONG", () => {
    const m = new TestMachine();
    const buf = m.alloc(120);
    expect(m.call("statfs", m.str("/"), buf)).toBe(0);
    const v = new DataView(m.mem.read(buf, 120)!.buffer);
    expect(Number(v.getBigInt64(8, true))).toBe(512);
    expect(Number(v.getBigInt64(16, true))).toBe(m.fs.device.sectorCount);
    expect(Number(v.getBigInt64(24, true))).toBe(m.fs.freeSectors);
    expect(Number(v.getBigInt64(64, true))).toBe(255);
    expect(m.call("open", m.str(`/${"a/".repeat(2047)}b`), O_RDONLY)).toBe(-Errno.ENAMETOOLONG);
    expect(m.call("open", m.str(`/${"a".repeat(256)}`), O_RDONLY)).toBe(-Errno.ENAMETOOLONG);
  });
});

describe("signals and futex (recorded, one thread)", () => {
  it("rt_sigaction stores and returns actions; refuses SIGKILL and bad sizes", () => {
    const m = new TestMachine();
    // The mask asks to block SIGUSR1 (bit 9) and SIGKILL (bit 8); SIGKILL cannot be blocked.
    const act = m.alloc(encodeSigaction({ handler: 0x401000n, flags: 0x04000004n, restorer: 0x402000n, mask: (1n << 9n) | (1n << 8n) }));
    const old = m.alloc(32);
    expect(m.call("rt_sigaction", 11, act, old, 8)).toBe(0);
    expect(decodeSigaction(m.mem.read(old, 32)!).handler).toBe(0n);
    expect(m.call("rt_sigaction", 11, 0, old, 8)).toBe(0);
    expect(decodeSigaction(m.mem.read(old, 32)!)).toEqual({ handler: 0x401000n, flags: 0x04000004n, restorer: 0x402000n, mask: 1n << 9n });
    expect(m.call("rt_sigaction", 9, act, 0, 8)).toBe(-Errno.EINVAL);
    expect(m.call("rt_sigaction", 65, act, 0, 8)).toBe(-Errno.EINVAL);
    expect(m.call("rt_sigaction", 11, act, 0, 16)).toBe(-Errno.EINVAL);
    expect(m.lastTrace.startsWith("rt_sigaction(SIGSEGV, ")).toBe(true);
  });

  it("rt_sigprocmask blocks, unblocks and never blocks SIGKILL", () => {
    const m = new TestMachine();
    const set = m.alloc(8);
    const old = m.alloc(8);
    m.mem.write(set, Uint8Array.of(0xff, 0xff, 0, 0, 0, 0, 0, 0));
    expect(m.call("rt_sigprocmask", 0, set, 0, 8)).toBe(0);
    expect(m.sys.state.sigmask).toBe(0xffffn & ~(1n << 8n));
    expect(m.call("rt_sigprocmask", 1, set, old, 8)).toBe(0);
    expect(m.sys.state.sigmask).toBe(0n);
    expect(m.call("rt_sigprocmask", 7, set, 0, 8)).toBe(-Errno.EINVAL);
  });

  it("futex: wake finds nobody, wait returns EAGAIN, WAKE_OP updates the second word", () => {
    const m = new TestMachine();
    const word = m.alloc(8);
    writeU32(m.mem, word, 5);
    expect(m.call("futex", word, 129, 1)).toBe(0);
    expect(m.call("futex", word, 128, 5, 0)).toBe(-Errno.EAGAIN);
    expect(m.call("futex", word, 128, 4, 0)).toBe(-Errno.EAGAIN);
    expect(m.call("futex", word + 1, 128, 5, 0)).toBe(-Errno.EINVAL);
    const second = word + 4;
    writeU32(m.mem, second, 6);
    // FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0)
    expect(m.call("futex", word, 5, 1, 1, second, (1 << 28) | (3 << 12))).toBe(0);
    expect(readU32(m.mem, second)).toBe(9);
    expect(m.lastTrace.startsWith("futex(")).toBe(true);
  });
});

describe("memory calls", () => {
  it("checks arguments before the kernel sees them; without a memory manager, ENOMEM", () => {
    const k = kernelMock();
    const m = new TestMachine({ kernel: k.hooks });
    expect(m.call("mmap", 0, 0, 3, 0x22, -1, 0)).toBe(-Errno.EINVAL);
    expect(m.call("mmap", 0, 4096, 3, 0x20, -1, 0)).toBe(-Errno.EINVAL); // neither shared nor private
    expect(m.call("mmap", 0, 4096, 3, 0x22, -1, 100)).toBe(-Errno.EINVAL);
    expect(m.call("mmap", 0, 4096, 1, 0x02, 42, 0)).toBe(-Errno.EBADF);
    m.fs.writeFile("/lib.so", "ELF");
    const ro = m.call("open", m.str("/lib.so"), O_RDONLY);
    expect(m.call("mmap", 0, 4096, 3, 0x01, ro, 0)).toBe(-Errno.EACCES);
    expect(m.call("mmap", 0, 4096, 5, 0x02, ro, 0)).toBe(0x7f0000000000);
    expect(k.calls).toContain("mmap 4096 file");
    const dir = m.call("open", m.str("/"), O_RDONLY | O_DIRECTORY);
    expect(m.call("mmap", 0, 4096, 1, 0x02, dir, 0)).toBe(-Errno.ENODEV);
    const bare = new TestMachine();
    expect(bare.call("mmap", 0, 4096, 3, 0x22, -1, 0)).toBe(-Errno.ENOMEM);
    expect(bare.call("brk", 0)).toBe(-Errno.ENOMEM);
    expect(bare.call("munmap", 0x1001, 4096)).toBe(-Errno.EINVAL);
  });
});

describe("what Nanos does with each number", () => {
  it("ENOSYS for unsupported and unknown numbers, named in the trace; 0 for ignored ones", () => {
    const m = new TestMachine();
    expect(m.call("fork")).toBe(-Errno.ENOSYS);
    expect(m.lastTrace).toBe("fork() = -1 ENOSYS (Function not implemented)");
    expect(m.call("execve", m.str("/bin/sh"), 0, 0)).toBe(-Errno.ENOSYS);
    expect(m.lastTrace).toBe('execve("/bin/sh", NULL, NULL) = -1 ENOSYS (Function not implemented)');
    expect(m.call("chmod", m.str("/x"), 0o777)).toBe(0);
    expect(m.call("getuid")).toBe(0);
    expect(m.call("wait4", -1, 0, 0, 0)).toBe(0);
    expect(m.sys(9999, [0, 0, 0, 0, 0, 0])).toBe(-Errno.ENOSYS);
    expect(m.sys(-1, [])).toBe(-Errno.ENOSYS);
  });

  it("lets the kernel supply or replace syscalls by name", () => {
    const m = new TestMachine({ ctx: { overrides: { nanosleep: () => 0, getpid: () => 42 } } });
    expect(m.call("nanosleep", 0, 0)).toBe(0);
    expect(m.call("getpid")).toBe(42);
    expect(m.sys.implemented.has("nanosleep")).toBe(true);
    expect(new TestMachine().sys.implemented.has("nanosleep")).toBe(false);
  });

  it("reports a bug in a handler as EIO, never as an exception", () => {
    const m = new TestMachine({ ctx: { overrides: { getpid: () => { throw new TypeError("boom"); } } } });
    expect(m.call("getpid")).toBe(-Errno.EIO);
    expect(m.internalErrors.length).toBe(1);
  });
});
