import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCmsgs, decodeMsghdr, encodeCmsgs, encodeMsghdr, MSGHDR_SIZE } from "./msghdr.js";
import { decodeSockaddr, encodeSockaddr, formatIpv6, SOCKADDR_IN6_SIZE, SOCKADDR_IN_SIZE, type Sockaddr } from "./sockaddr.js";

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const port = fc.nat({ max: 0xffff });
const u32 = fc.nat({ max: 0xffffffff });

describe("socket address codec", () => {
  it("round-trips AF_INET and AF_INET6 addresses", () => {
    const inet = fc.record({ family: fc.constant(2 as const), port, address: bytes(4) });
    const inet6 = fc.record({ family: fc.constant(10 as const), port, flowinfo: u32, address: bytes(16), scopeId: u32 });
    fc.assert(fc.property(fc.oneof(inet, inet6), (sa: Sockaddr) => {
      const encoded = encodeSockaddr(sa);
      expect(encoded.length).toBe(sa.family === 2 ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE);
      expect(decodeSockaddr(encoded)).toEqual(sa);
    }));
  });

  it("round-trips AF_UNIX names: filesystem (NUL-terminated), abstract (exact bytes), unnamed", () => {
    const path = fc.uint8Array({ minLength: 1, maxLength: 107 }).filter((p) => p[0] !== 0).map((p) => p.map((b) => b || 1));
    const abstract = fc.uint8Array({ minLength: 0, maxLength: 107 }).map((p) => Uint8Array.from([0, ...p]));
    fc.assert(fc.property(fc.oneof(path, abstract, fc.constant(new Uint8Array(0))), (p) => {
      const encoded = encodeSockaddr({ family: 1, path: p });
      const abstractName = p.length > 0 && p[0] === 0;
      expect(encoded.length).toBe(2 + p.length + (p.length > 0 && !abstractName ? 1 : 0));
      expect(decodeSockaddr(encoded)).toEqual({ family: 1, path: p });
    }));
  });

  it("cuts a filesystem name at its NUL and refuses lengths too short for the family", () => {
    const raw = Uint8Array.from([1, 0, ...new TextEncoder().encode("/a\0junk")]);
    expect(decodeSockaddr(raw)).toEqual({ family: 1, path: new TextEncoder().encode("/a") });
    expect(decodeSockaddr(new Uint8Array([2, 0, 0, 80]))).toBeUndefined();
    expect(decodeSockaddr(new Uint8Array([1]))).toBeUndefined();
    expect(decodeSockaddr(new Uint8Array(23).fill(0).map((_, k) => (k === 0 ? 10 : 0)))).toBeUndefined();
  });

  it("formats IPv6 as the WHATWG URL parser canonicalises it (RFC 5952 zero compression)", () => {
    // Words drawn mostly from 0 so that runs of zeros are common; v4-mapped addresses excluded.
    const word = fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 0xffff }));
    fc.assert(fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
      fc.pre(!(words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff));
      const address = new Uint8Array(16);
      words.forEach((w, k) => {
        address[2 * k] = w >> 8;
        address[2 * k + 1] = w & 0xff;
      });
      const full = words.map((w) => w.toString(16)).join(":");
      expect(`[${formatIpv6(address)}]`).toBe(new URL(`http://[${full}]/`).hostname);
    }));
  });

  it("writes v4-mapped addresses with a dotted tail", () => {
    expect(formatIpv6(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1]))).toBe("::ffff:127.0.0.1");
  });
});

describe("msghdr and control message codecs", () => {
  it("round-trips struct msghdr", () => {
    const u53 = fc.maxSafeNat();
    fc.assert(fc.property(fc.record({ name: u53, namelen: u32, iov: u53, iovlen: u53, control: u53, controllen: u53, flags: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }), (m) => {
      const b = encodeMsghdr(m);
      expect(b.length).toBe(MSGHDR_SIZE);
      expect(decodeMsghdr(b)).toEqual(m);
    }));
  });

  it("round-trips control messages, padded to 8 bytes between them", () => {
    const cmsg = fc.record({ level: fc.integer({ min: 0, max: 300 }), type: fc.integer({ min: 0, max: 30 }), data: fc.uint8Array({ maxLength: 40 }) });
    fc.assert(fc.property(fc.array(cmsg, { maxLength: 4 }), (list) => {
      expect(decodeCmsgs(encodeCmsgs(list))).toEqual(list);
    }));
  });

  it("refuses a control message whose length runs past the buffer", () => {
    const b = encodeCmsgs([{ level: 1, type: 1, data: new Uint8Array(8) }]);
    new DataView(b.buffer).setUint32(0, 200, true);
    expect(decodeCmsgs(b)).toBeUndefined();
  });
});
