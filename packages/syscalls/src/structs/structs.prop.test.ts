import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDirents64, encodeDirent64 } from "./dirent64.js";
import { decodeEpollEvents, encodeEpollEvents } from "./epoll-event.js";
import { decodeIovecs, encodeIovecs } from "./iovec.js";
import { decodePollfds, encodePollfds } from "./pollfd.js";
import { decodeSigaction, encodeSigaction } from "./sigaction.js";
import { decodeStat, encodeStat } from "./stat.js";
import { decodeStatfs, encodeStatfs } from "./statfs.js";
import { decodeStatx, encodeStatx } from "./statx.js";
import { decodeSysinfo, encodeSysinfo } from "./sysinfo.js";
import { decodeUtsname, encodeUtsname } from "./utsname.js";

const u32 = fc.nat({ max: 0xffffffff });
const i64 = fc.maxSafeInteger();
const u53 = fc.maxSafeNat();
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const time = fc.record({ sec: i64, nsec: fc.nat({ max: 999_999_999 }) });
const field = fc.string({ maxLength: 64, unit: "grapheme-ascii" }).filter((s) => !s.includes("\0"));

describe("struct codecs round-trip", () => {
  it("stat", () => {
    fc.assert(fc.property(fc.record({ dev: u53, ino: u53, nlink: u53, mode: u32, uid: u32, gid: u32, rdev: u53, size: i64, blksize: i64, blocks: i64, atime: time, mtime: time, ctime: time }), (s) => {
      expect(decodeStat(encodeStat(s))).toEqual(s);
    }));
  });

  it("statx (device numbers within 12-bit major / 20-bit minor)", () => {
    const dev = fc.tuple(fc.nat({ max: 0xfff }), fc.nat({ max: 0xfffff })).map(([ma, mi]) => ((ma << 8) | (mi & 0xff) | ((mi & ~0xff) << 12)) >>> 0);
    fc.assert(fc.property(fc.record({ mask: u32, dev, ino: u53, nlink: u32, mode: fc.nat({ max: 0xffff }), uid: u32, gid: u32, rdev: dev, size: u53, blksize: u32, blocks: u53, atime: fc.record({ sec: i64, nsec: u32 }), mtime: fc.record({ sec: i64, nsec: u32 }) }), (s) => {
      const full = { ...s, ctime: s.mtime };
      expect(decodeStatx(encodeStatx(full))).toEqual(full);
    }));
  });

  it("statfs, sysinfo, utsname", () => {
    fc.assert(fc.property(fc.record({ type: i64, bsize: i64, blocks: i64, bfree: i64, bavail: i64, files: i64, ffree: i64, fsid: fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), namelen: i64, frsize: i64, flags: i64 }), (s) => {
      expect(decodeStatfs(encodeStatfs(s))).toEqual(s);
    }));
    fc.assert(fc.property(fc.record({ uptime: i64, loads: fc.tuple(u53, u53, u53), totalram: u53, freeram: u53, sharedram: u53, bufferram: u53, totalswap: u53, freeswap: u53, procs: fc.nat({ max: 0xffff }), totalhigh: u53, freehigh: u53, memUnit: u32 }), (s) => {
      expect(decodeSysinfo(encodeSysinfo(s))).toEqual(s);
    }));
    fc.assert(fc.property(fc.record({ sysname: field, nodename: field, release: field, version: field, machine: field, domainname: field }), (u) => {
      expect(decodeUtsname(encodeUtsname(u))).toEqual(u);
    }));
  });

  it("arrays: iovec, pollfd, epoll_event, dirent64; sigaction", () => {
    fc.assert(fc.property(fc.array(fc.record({ base: u53, len: u53 }), { maxLength: 8 }), (a) => {
      expect(decodeIovecs(encodeIovecs(a))).toEqual(a);
    }));
    fc.assert(fc.property(fc.array(fc.record({ fd: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), events: fc.nat({ max: 0xffff }), revents: fc.nat({ max: 0xffff }) }), { maxLength: 8 }), (a) => {
      const signed16 = (n: number) => (n << 16) >> 16;
      expect(decodePollfds(encodePollfds(a))).toEqual(a.map((p) => ({ ...p, events: signed16(p.events) & 0xffff, revents: signed16(p.revents) & 0xffff })));
    }));
    fc.assert(fc.property(fc.array(fc.record({ events: u32, data: u64 }), { maxLength: 8 }), (a) => {
      expect(decodeEpollEvents(encodeEpollEvents(a))).toEqual(a);
    }));
    const name = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes("\0") && !/[\uD800-\uDFFF]/.test(s));
    fc.assert(fc.property(fc.array(fc.record({ ino: u53, off: i64, type: fc.nat({ max: 255 }), name }), { maxLength: 8 }), (entries) => {
      const bytes = entries.map(encodeDirent64);
      const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
      let at = 0;
      for (const b of bytes) {
        all.set(b, at);
        at += b.length;
      }
      expect(decodeDirents64(all)).toEqual(entries);
    }));
    fc.assert(fc.property(fc.record({ handler: u64, flags: u64, restorer: u64, mask: u64 }), (s) => {
      expect(decodeSigaction(encodeSigaction(s))).toEqual(s);
    }));
  });
});
