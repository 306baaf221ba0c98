import { describe, expect, it } from "vitest";
import { decodeDirents64, dirent64Length, encodeDirent64 } from "./dirent64.js";
import { encodeDirent } from "./dirent.js";
import { EPOLL_EVENT_SIZE, encodeEpollEvents } from "./epoll-event.js";
import { encodePollfds } from "./pollfd.js";
import { encodeRlimit, decodeRlimit } from "./rlimit.js";
import { encodeSigaction, SIGACTION_SIZE } from "./sigaction.js";
import { encodeSiginfo, SIGINFO_SIZE } from "./siginfo.js";
import { encodeStat, STAT_SIZE } from "./stat.js";
import { encodeStatfs, STATFS_SIZE } from "./statfs.js";
import { encodeStatx } from "./statx.js";
import { encodeSysinfo, SYSINFO_SIZE } from "./sysinfo.js";
import { encodeTimespec, encodeTimeval } from "./timespec.js";
import { encodeUtsname, UTSNAME_SIZE } from "./utsname.js";

const le = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

// Offsets and sizes are those `offsetof`/`sizeof` give with glibc's headers on x86-64.
describe("x86-64 struct layouts", () => {
  it("struct stat: 144 bytes, st_mode at 24, st_size at 48, st_mtim at 88", () => {
    const t = (sec: number) => ({ sec, nsec: sec + 1 });
    const b = encodeStat({ dev: 0x11, ino: 0x22, nlink: 3, mode: 0o100644, uid: 5, gid: 6, rdev: 0x103, size: 0x1234, blksize: 512, blocks: 9, atime: t(10), mtime: t(20), ctime: t(30) });
    expect(b.length).toBe(STAT_SIZE);
    const v = le(b);
    expect(v.getBigUint64(0, true)).toBe(0x11n);
    expect(v.getBigUint64(8, true)).toBe(0x22n);
    expect(v.getBigUint64(16, true)).toBe(3n);
    expect(v.getUint32(24, true)).toBe(0o100644);
    expect(v.getUint32(28, true)).toBe(5);
    expect(v.getUint32(32, true)).toBe(6);
    expect(v.getBigUint64(40, true)).toBe(0x103n);
    expect(v.getBigInt64(48, true)).toBe(0x1234n);
    expect(v.getBigInt64(56, true)).toBe(512n);
    expect(v.getBigInt64(64, true)).toBe(9n);
    expect([72, 80, 88, 96, 104, 112].map((o) => v.getBigInt64(o, true))).toEqual([10n, 11n, 20n, 21n, 30n, 31n]);
  });

  it("statfs 120, sysinfo 112 (procs at 80, mem_unit at 104), utsname 390", () => {
    const fs = encodeStatfs({ type: 1, bsize: 2, blocks: 3, bfree: 4, bavail: 5, files: 6, ffree: 7, fsid: [8, 9], namelen: 10, frsize: 11, flags: 12 });
    expect(fs.length).toBe(STATFS_SIZE);
    expect([0, 8, 16, 24, 32, 40, 48].map((o) => le(fs).getBigInt64(o, true))).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect([le(fs).getInt32(56, true), le(fs).getInt32(60, true)]).toEqual([8, 9]);
    expect([64, 72, 80].map((o) => le(fs).getBigInt64(o, true))).toEqual([10n, 11n, 12n]);
    const si = encodeSysinfo({ uptime: 1, loads: [2, 3, 4], totalram: 5, freeram: 6, sharedram: 7, bufferram: 8, totalswap: 9, freeswap: 10, procs: 11, totalhigh: 12, freehigh: 13, memUnit: 14 });
    expect(si.length).toBe(SYSINFO_SIZE);
    expect([0, 8, 16, 24, 32, 40, 48, 56, 64, 72].map((o) => Number(le(si).getBigInt64(o, true)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(le(si).getUint16(80, true)).toBe(11);
    expect(Number(le(si).getBigUint64(88, true))).toBe(12);
    expect(le(si).getUint32(104, true)).toBe(14);
    const u = encodeUtsname({ sysname: "Nanos", nodename: "n", release: "r", version: "v", machine: "x86_64", domainname: "x".repeat(100) });
    expect(u.length).toBe(UTSNAME_SIZE);
    expect(new TextDecoder().decode(u.subarray(260, 266))).toBe("x86_64");
    expect(u[325 + 64]).toBe(0); // an over-long field is cut to keep its NUL
  });

  it("epoll_event is packed: 12 bytes, data at 4", () => {
    const b = encodeEpollEvents([{ events: 1, data: 0x1122334455667788n }]);
    expect(b.length).toBe(EPOLL_EVENT_SIZE);
    expect(le(b).getBigUint64(4, true)).toBe(0x1122334455667788n);
  });

  it("pollfd, timespec, timeval, rlimit", () => {
    expect(encodePollfds([{ fd: -1, events: 1, revents: 4 }])).toEqual(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 0, 4, 0));
    expect(le(encodeTimespec({ sec: 3, nsec: 5 })).getBigInt64(8, true)).toBe(5n);
    expect(le(encodeTimeval(1_500_000_000)).getBigInt64(8, true)).toBe(500_000n);
    const inf = encodeRlimit({ cur: 8 * 2 ** 20, max: Infinity });
    expect(le(inf).getBigUint64(8, true)).toBe(2n ** 64n - 1n);
    expect(decodeRlimit(inf)).toEqual({ cur: 8 * 2 ** 20, max: Infinity });
  });

  it("kernel sigaction (32 bytes, mask last) and siginfo (128, si_addr at 16)", () => {
    const sa = encodeSigaction({ handler: 0x401000n, flags: 0x04000004n, restorer: 0x402000n, mask: 1n << 63n });
    expect(sa.length).toBe(SIGACTION_SIZE);
    expect(le(sa).getBigUint64(24, true)).toBe(1n << 63n);
    const si = encodeSiginfo({ signo: 11, errno: 0, code: 1, addr: 0xdead000 });
    expect(si.length).toBe(SIGINFO_SIZE);
    expect(le(si).getBigUint64(16, true)).toBe(0xdead000n);
    const kill = encodeSiginfo({ signo: 10, errno: 0, code: 0, pid: 1, uid: 0, value: 7 });
    expect([le(kill).getInt32(16, true), le(kill).getBigUint64(24, true)]).toEqual([1, 7n]);
  });

  it("linux_dirent64: header 19 bytes, records 8-aligned; old dirent keeps d_type last", () => {
    expect(dirent64Length(1)).toBe(24);
    expect(dirent64Length(5)).toBe(32);
    const rec = encodeDirent64({ ino: 7, off: 3, type: 8, name: "hello" });
    expect(rec.length).toBe(32);
    expect(le(rec).getUint16(16, true)).toBe(32);
    expect(rec[18]).toBe(8);
    expect(new TextDecoder().decode(rec.subarray(19, 24))).toBe("hello");
    expect(rec[24]).toBe(0);
    const old = encodeDirent({ ino: 7, off: 3, type: 8, name: "hello" });
    expect(old.length).toBe(32);
    expect(new TextDecoder().decode(old.subarray(18, 23))).toBe("hello");
    expect(old[31]).toBe(8);
    expect(() => decodeDirents64(new Uint8Array(24))).toThrow(RangeError);
  });

  it("statx: 256 bytes, size at 40, mtime at 112, dev split into major/minor", () => {
    const t = { sec: 1, nsec: 2 };
    const b = encodeStatx({ mask: 0x7ff, dev: 0x801, ino: 1, nlink: 1, mode: 0o100644, uid: 0, gid: 0, rdev: 0x103, size: 99, blksize: 512, blocks: 1, atime: t, mtime: { sec: 9, nsec: 8 }, ctime: t });
    const v = le(b);
    expect(v.getUint16(28, true)).toBe(0o100644);
    expect(v.getBigUint64(40, true)).toBe(99n);
    expect([v.getBigInt64(112, true), v.getUint32(120, true)]).toEqual([9n, 8]);
    expect([v.getUint32(128, true), v.getUint32(132, true), v.getUint32(136, true), v.getUint32(140, true)]).toEqual([1, 3, 8, 1]);
  });
});
