import { describe, expect, it } from "vitest";
import { Errno } from "../errno.js";
import { Prctl as PrctlOption, Rlimit } from "../linux-constants.js";
import { decodeRlimit, encodeRlimit } from "../structs/rlimit.js";
import { readU32, writeU32 } from "../user-memory.js";
import { BAD_ADDRESS, TestMachine } from "../test-machine.js";


describe("resource limits", () => {
  it("report Nanos's values and read back what was set", () => {
    const m = new TestMachine();
    const buf = m.alloc(16);
    const get = (resource: number) => {
      expect(m.call("getrlimit", resource, buf)).toBe(0);
      return decodeRlimit(m.mem.read(buf, 16)!);
    };
    expect(get(Rlimit.RLIMIT_NOFILE)).toEqual({ cur: 65536, max: 65536 });
    expect(get(Rlimit.RLIMIT_CORE)).toEqual({ cur: 0, max: 0 });
    expect(get(Rlimit.RLIMIT_STACK)).toEqual({ cur: 2 * 2 ** 20, max: Infinity });
    expect(get(Rlimit.RLIMIT_CPU)).toEqual({ cur: Infinity, max: Infinity });
    m.mem.write(buf, encodeRlimit({ cur: 100, max: 200 }));
    expect(m.call("setrlimit", Rlimit.RLIMIT_NOFILE, buf)).toBe(0);
    expect(get(Rlimit.RLIMIT_NOFILE)).toEqual({ cur: 100, max: 200 });
    m.mem.write(buf, encodeRlimit({ cur: 8 * 2 ** 20, max: Infinity }));
    expect(m.call("setrlimit", Rlimit.RLIMIT_STACK, buf)).toBe(0);
    expect(m.sys.state.stackLimit).toBe(8 * 2 ** 20);
  });

  it("refuse soft above hard, unknown resources, NOFILE past nr_open, other processes", () => {
    const m = new TestMachine();
    const buf = m.alloc(16);
    const old = m.alloc(new Uint8Array(16).fill(0xee));
    m.mem.write(buf, encodeRlimit({ cur: 300, max: 200 }));
    expect(m.call("setrlimit", Rlimit.RLIMIT_NOFILE, buf)).toBe(-Errno.EINVAL);
    expect(m.call("prlimit64", 0, Rlimit.RLIMIT_NOFILE, buf, old)).toBe(-Errno.EINVAL);
    expect(m.mem.read(old, 16)).toEqual(new Uint8Array(16).fill(0xee)); // nothing written on failure
    m.mem.write(buf, encodeRlimit({ cur: Infinity, max: Infinity }));
    expect(m.call("setrlimit", Rlimit.RLIMIT_NOFILE, buf)).toBe(-Errno.EPERM);
    expect(m.call("setrlimit", 16, buf)).toBe(-Errno.EINVAL);
    expect(m.call("getrlimit", -1, buf)).toBe(-Errno.EINVAL);
    expect(m.call("prlimit64", 99, Rlimit.RLIMIT_NOFILE, 0, buf)).toBe(-Errno.ESRCH);
    expect(m.call("setrlimit", Rlimit.RLIMIT_NOFILE, BAD_ADDRESS)).toBe(-Errno.EFAULT);
  });
});

describe("prctl", () => {
  it("names threads: 15 bytes, per thread, the main thread's name for a thread that set none", () => {
    let tid = 1;
    const m = new TestMachine({ ctx: { tid: () => tid } });
    const out = m.alloc(16);
    expect(m.call("prctl", PrctlOption.PR_GET_NAME, out)).toBe(0);
    expect(m.text(out, 16)).toBe("prog\0\0\0\0\0\0\0\0\0\0\0\0"); // the program file's name
    expect(m.call("prctl", PrctlOption.PR_SET_NAME, m.str("0123456789abcdefgh"))).toBe(0);
    expect(m.call("prctl", PrctlOption.PR_GET_NAME, out)).toBe(0);
    expect(m.text(out, 16)).toBe("0123456789abcde\0");
    tid = 2;
    expect(m.call("prctl", PrctlOption.PR_GET_NAME, out)).toBe(0);
    expect(m.text(out, 16)).toBe("0123456789abcde\0");
    expect(m.call("prctl", PrctlOption.PR_SET_NAME, m.str("two"))).toBe(0);
    tid = 1;
    expect(m.call("prctl", PrctlOption.PR_GET_NAME, out)).toBe(0);
    expect(m.text(out, 4)).toBe("0123");
    // A name ending right before unreadable memory is fine; an unreadable one is EFAULT.
    const end = m.mem.base + m.mem.bytes.length - 3;
    m.mem.write(end, new TextEncoder().encode("ab\0"));
    expect(m.call("prctl", PrctlOption.PR_SET_NAME, end)).toBe(0);
    expect(m.call("prctl", PrctlOption.PR_SET_NAME, BAD_ADDRESS)).toBe(-Errno.EFAULT);
  });

  it("keeps Linux's flags and refuses bad values and unknown options", () => {
    const m = new TestMachine();
    const p = m.alloc(4);
    expect(m.call("prctl", PrctlOption.PR_SET_PDEATHSIG, 9)).toBe(0);
    expect(m.call("prctl", PrctlOption.PR_GET_PDEATHSIG, p)).toBe(0);
    expect(readU32(m.mem, p)).toBe(9);
    expect(m.call("prctl", PrctlOption.PR_SET_PDEATHSIG, 65)).toBe(-Errno.EINVAL);
    expect(m.call("prctl", PrctlOption.PR_GET_DUMPABLE)).toBe(1);
    expect(m.call("prctl", PrctlOption.PR_SET_DUMPABLE, 2)).toBe(-Errno.EINVAL);
    expect(m.call("prctl", PrctlOption.PR_GET_TIMERSLACK)).toBe(50_000);
    expect(m.call("prctl", PrctlOption.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)).toBe(0);
    expect(m.call("prctl", PrctlOption.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)).toBe(1);
    expect(m.call("prctl", PrctlOption.PR_CAPBSET_READ, 41)).toBe(-Errno.EINVAL);
    expect(m.call("prctl", 0x53564d41, 0)).toBe(-Errno.EINVAL); // PR_SET_VMA: not offered
  });
});

describe("capget", () => {
  it("answers a version probe with the preferred version", () => {
    const m = new TestMachine();
    const hdr = m.alloc(8);
    const data = m.alloc(24);
    expect(m.call("capget", hdr, 0)).toBe(0);
    expect(readU32(m.mem, hdr)).toBe(0x20080522);
    writeU32(m.mem, hdr, 7);
    expect(m.call("capget", hdr, data)).toBe(-Errno.EINVAL);
    writeU32(m.mem, hdr + 4, 2);
    expect(m.call("capget", hdr, data)).toBe(-Errno.ESRCH);
    writeU32(m.mem, hdr + 4, -5 >>> 0);
    expect(m.call("capget", hdr, data)).toBe(-Errno.EINVAL);
    expect(m.call("capget", hdr, BAD_ADDRESS)).toBe(-Errno.EINVAL); // the pid is checked first
    writeU32(m.mem, hdr + 4, 0);
    expect(m.call("capget", hdr, BAD_ADDRESS)).toBe(-Errno.EFAULT);
  });
});
