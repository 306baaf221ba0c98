import { describe, expect, it } from "vitest";
import { formatSyscall } from "./strace.js";
import { syscallByName } from "./syscall-table.js";
import { ArrayUserMemory } from "./user-memory.js";

const nr = (name: string) => syscallByName(name)!.nr;

describe("strace: timers", () => {
  it("decodes setitimer, getitimer and the POSIX timer calls' time pairs", () => {
    const mem = new ArrayUserMemory(0x1000, 0x1000);
    const b = new Uint8Array(32);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, 0n, true);
    v.setBigInt64(8, 20000n, true);
    v.setBigInt64(16, 1n, true);
    v.setBigInt64(24, 500n, true);
    mem.write(0x1000, b);
    expect(formatSyscall(nr("setitimer"), [0, 0x1000, 0], 0, mem)).toBe(
      "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=20000}, it_value={tv_sec=1, tv_usec=500}}, NULL) = 0",
    );
    expect(formatSyscall(nr("getitimer"), [7, 0x1000], -22, mem)).toBe("getitimer(7, 0x1000) = -1 EINVAL (Invalid argument)");
    expect(formatSyscall(nr("timer_settime"), [0, 1, 0x1000, 0x9000], 0, mem)).toBe(
      "timer_settime(0, 0x1, {it_interval={tv_sec=0, tv_nsec=20000}, it_value={tv_sec=1, tv_nsec=500}}, 0x9000) = 0",
    );
    expect(formatSyscall(nr("timer_gettime"), [3, 0x1000], 0, mem)).toBe(
      "timer_gettime(3, {it_interval={tv_sec=0, tv_nsec=20000}, it_value={tv_sec=1, tv_nsec=500}}) = 0",
    );
  });
});
