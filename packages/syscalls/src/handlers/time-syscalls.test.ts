import { describe, expect, it } from "vitest";
import { Errno } from "../errno.js";
import { Clock } from "../linux-constants.js";
import { decodeTimespec } from "../structs/timespec.js";
import { BAD_ADDRESS, TestMachine } from "../test-machine.js";
import { clockSource, hostClocks, sleepClock } from "./time-syscalls.js";

/** The id `clock_getcpuclockid`/`pthread_getcpuclockid` build: `(~pid << 3) | perthread << 2 | kind`. */
const cpuClock = (pid: number, perThread: boolean, kind = 2): number => (~pid << 3) | (perThread ? 4 : 0) | kind;

describe("clock ids", () => {
  it("decodes the fixed clocks and refuses the gaps", () => {
    expect(clockSource(Clock.CLOCK_REALTIME, 1)).toBe("realtime");
    expect(clockSource(Clock.CLOCK_BOOTTIME, 1)).toBe("monotonic");
    expect(clockSource(Clock.CLOCK_THREAD_CPUTIME_ID, 1)).toBe("thread-cpu");
    for (const bad of [10, 12, 1000, 2 ** 31 - 1]) expect(clockSource(bad, 1)).toBeUndefined();
  });

  it("decodes CPU clocks of this process and the calling thread only", () => {
    expect(clockSource(cpuClock(0, false), 7)).toBe("process-cpu");
    expect(clockSource(cpuClock(1, false), 7)).toBe("process-cpu"); // Nanos's pid
    expect(clockSource(cpuClock(0, true), 7)).toBe("thread-cpu");
    expect(clockSource(cpuClock(7, true), 7)).toBe("thread-cpu");
    expect(clockSource(cpuClock(0, true, 0), 7)).toBe("thread-cpu"); // CPUCLOCK_PROF
    expect(clockSource(cpuClock(0, false, 3), 7)).toBeUndefined(); // no such kind
    expect(clockSource(cpuClock(8, true), 7)).toBeUndefined();
    expect(clockSource(cpuClock(2, false), 7)).toBeUndefined();
    expect(clockSource(-1, 7)).toBeUndefined();
  });

  it("says which clocks can be slept on, as Linux does", () => {
    expect(sleepClock(Clock.CLOCK_REALTIME)).toBe("realtime");
    expect(sleepClock(Clock.CLOCK_TAI)).toBe("realtime");
    expect(sleepClock(Clock.CLOCK_MONOTONIC)).toBe("monotonic");
    expect(sleepClock(Clock.CLOCK_BOOTTIME)).toBe("monotonic");
    expect(sleepClock(Clock.CLOCK_MONOTONIC_RAW)).toBe(-Errno.EOPNOTSUPP);
    expect(sleepClock(Clock.CLOCK_THREAD_CPUTIME_ID)).toBe(-Errno.EOPNOTSUPP);
    expect(sleepClock(Clock.CLOCK_PROCESS_CPUTIME_ID)).toBe(-Errno.EINVAL);
    expect(sleepClock(cpuClock(0, true))).toBe(-Errno.EINVAL);
    expect(sleepClock(1000)).toBe(-Errno.EINVAL);
  });
});

describe("clock syscalls", () => {
  it("read CPU clocks by id and refuse other processes' and threads'", () => {
    const m = new TestMachine({ ctx: { tid: () => 3 } });
    const ts = m.alloc(16);
    expect(m.call("clock_gettime", cpuClock(0, false), ts)).toBe(0);
    expect(decodeTimespec(m.mem.read(ts, 16)!)).toEqual({ sec: 5, nsec: 250_000_000 });
    expect(m.call("clock_gettime", cpuClock(3, true), ts)).toBe(0);
    expect(m.call("clock_gettime", cpuClock(4, true), ts)).toBe(-Errno.EINVAL);
    expect(m.call("clock_getres", cpuClock(0, true), ts)).toBe(0);
    expect(decodeTimespec(m.mem.read(ts, 16)!)).toEqual({ sec: 0, nsec: 1 });
    expect(m.call("clock_getres", 10, ts)).toBe(-Errno.EINVAL);
    expect(m.call("clock_getres", 10, 0)).toBe(-Errno.EINVAL);
    expect(m.call("clock_getres", 1, BAD_ADDRESS)).toBe(-Errno.EFAULT);
  });

  it("gettimeofday writes a UTC timezone and accepts NULL for both", () => {
    const m = new TestMachine();
    const tz = m.alloc(new Uint8Array(8).fill(0xff));
    expect(m.call("gettimeofday", 0, tz)).toBe(0);
    expect(m.mem.read(tz, 8)).toEqual(new Uint8Array(8));
    expect(m.call("gettimeofday", 0, 0)).toBe(0);
    expect(m.call("gettimeofday", 0, BAD_ADDRESS)).toBe(-Errno.EFAULT);
    expect(m.call("time", BAD_ADDRESS)).toBe(-Errno.EFAULT);
  });

  it("getrusage reports the peak resident memory in KiB", () => {
    const m = new TestMachine({ ctx: { peakResidentMemory: () => 3 * 2 ** 20 } });
    const ru = m.alloc(144);
    const maxrss = (): bigint => new DataView(m.mem.read(ru, 144)!.buffer).getBigInt64(32, true);
    expect(m.call("getrusage", 0, ru)).toBe(0);
    expect(maxrss()).toBe(3072n);
    expect(m.call("getrusage", 1, ru)).toBe(0);
    expect(maxrss()).toBe(3072n);
    expect(m.call("getrusage", -1, ru)).toBe(0); // no children
    expect(m.mem.read(ru, 144)).toEqual(new Uint8Array(144));
  });
});

describe("CPU-time clocks", () => {
  it("read the kernel's CPU time of the process and of the thread when it keeps them", () => {
    const cpuTime = (scope: "process" | "thread"): bigint => (scope === "process" ? 3_000_000_007n : 1_000_000_003n);
    const m = new TestMachine({ ctx: { clocks: { realtime: () => 0n, monotonic: () => 9_000_000_000n, cpuTime } } });
    const ts = m.alloc(16);
    const read = (clock: number) => (m.call("clock_gettime", clock, ts), decodeTimespec(m.mem.read(ts, 16)!));
    expect(read(Clock.CLOCK_PROCESS_CPUTIME_ID)).toEqual({ sec: 3, nsec: 7 });
    expect(read(Clock.CLOCK_THREAD_CPUTIME_ID)).toEqual({ sec: 1, nsec: 3 });
    expect(read(cpuClock(0, true))).toEqual({ sec: 1, nsec: 3 });
    const ru = m.alloc(144);
    expect(m.call("getrusage", 1, ru)).toBe(0); // RUSAGE_THREAD
    expect(decodeTimespec(m.mem.read(ru, 16)!)).toEqual({ sec: 1, nsec: 0 });
    expect(m.call("getrusage", 0, ru)).toBe(0);
    expect(decodeTimespec(m.mem.read(ru, 16)!)).toEqual({ sec: 3, nsec: 0 });
    expect(m.call("times", 0)).toBe(900); // elapsed ticks: the monotonic clock
  });
});

describe("setting the realtime clock", () => {
  const timespec = (m: TestMachine, sec: number, nsec: number): number => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, BigInt(sec), true);
    v.setBigInt64(8, BigInt(nsec), true);
    return m.alloc(b);
  };
  const realtime = (m: TestMachine): { sec: number; nsec: number } => {
    const ts = m.alloc(16);
    expect(m.call("clock_gettime", Clock.CLOCK_REALTIME, ts)).toBe(0);
    return decodeTimespec(m.mem.read(ts, 16)!);
  };

  it("clock_settime and settimeofday step CLOCK_REALTIME and nothing else", () => {
    const m = new TestMachine();
    expect(m.call("clock_settime", Clock.CLOCK_REALTIME, timespec(m, 100, 5))).toBe(0);
    expect(realtime(m)).toEqual({ sec: 100, nsec: 5 });
    expect(m.call("time", 0)).toBe(100);
    expect(m.call("settimeofday", timespec(m, 200, 7), 0)).toBe(0);
    expect(realtime(m)).toEqual({ sec: 200, nsec: 7000 });
    const ts = m.alloc(16);
    expect(m.call("clock_gettime", Clock.CLOCK_MONOTONIC, ts)).toBe(0);
    expect(decodeTimespec(m.mem.read(ts, 16)!)).toEqual({ sec: 5, nsec: 250_000_000 });
    expect(m.call("clock_settime", Clock.CLOCK_MONOTONIC, timespec(m, 1, 0))).toBe(-Errno.EINVAL);
    expect(m.call("clock_settime", 1000, timespec(m, 1, 0))).toBe(-Errno.EINVAL);
    expect(m.call("clock_settime", Clock.CLOCK_REALTIME, timespec(m, 1, 1e9))).toBe(-Errno.EINVAL);
    expect(m.call("settimeofday", timespec(m, 1, 1e6), 0)).toBe(-Errno.EINVAL);
    expect(m.call("clock_settime", Clock.CLOCK_REALTIME, BAD_ADDRESS)).toBe(-Errno.EFAULT);
    expect(m.call("settimeofday", 0, 0)).toBe(0);
  });

  it("adjtimex reports the clock and steps it with ADJ_SETOFFSET", () => {
    const m = new TestMachine();
    const tx = m.alloc(208);
    expect(m.call("adjtimex", tx)).toBe(5); // TIME_ERROR: not synchronised
    const v = (): DataView => new DataView(m.mem.read(tx, 208)!.buffer);
    expect([Number(v().getBigInt64(72, true)), Number(v().getBigInt64(80, true)), Number(v().getBigInt64(88, true))]).toEqual([1_700_000_000, 123_456, 10_000]);
    const set = new DataView(new ArrayBuffer(208));
    set.setUint32(0, 0x100 | 0x10, true); // ADJ_SETOFFSET | ADJ_STATUS, status 0: synchronised
    set.setBigInt64(72, -100n, true);
    set.setBigInt64(80, 0n, true);
    m.mem.write(tx, new Uint8Array(set.buffer));
    expect(m.call("adjtimex", tx)).toBe(0);
    expect(realtime(m).sec).toBe(1_699_999_900);
    expect(m.call("clock_adjtime", Clock.CLOCK_MONOTONIC, tx)).toBe(-Errno.EOPNOTSUPP);
    expect(m.call("clock_adjtime", 1000, tx)).toBe(-Errno.EINVAL);
    expect(m.call("adjtimex", BAD_ADDRESS)).toBe(-Errno.EFAULT);
    set.setBigInt64(72, -(2n ** 40n), true); // before 1970
    m.mem.write(tx, new Uint8Array(set.buffer));
    expect(m.call("adjtimex", tx)).toBe(-Errno.EINVAL);
    expect(m.call("clock_settime", Clock.CLOCK_REALTIME, timespec(m, 2 ** 53, 0))).toBe(-Errno.EINVAL);
    expect(realtime(m).sec).toBe(1_699_999_900);
  });
});

describe("host clocks", () => {
  it("realtime and monotonic advance together at sub-millisecond resolution", () => {
    const r1 = hostClocks.realtime();
    const m1 = hostClocks.monotonic();
    const readings = Array.from({ length: 20 }, () => hostClocks.realtime());
    const m2 = hostClocks.monotonic();
    const r2 = hostClocks.realtime();
    expect(r2).toBeGreaterThanOrEqual(r1);
    expect(m2).toBeGreaterThanOrEqual(m1);
    // Date.now() would give whole milliseconds every time.
    expect(readings.some((ns) => ns % 1_000_000n !== 0n)).toBe(true);
    // The realtime clock is the epoch time, never behind Date.now() (the kernel's deadlines).
    for (let i = 0; i < 1000; i++) {
      const wall = Date.now();
      expect(hostClocks.realtime()).toBeGreaterThanOrEqual(BigInt(wall) * 1_000_000n);
    }
    expect(Number(hostClocks.realtime() / 1_000_000n) - Date.now()).toBeLessThan(1000);
  });
});
