import { Cpu } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { ThreadState } from "./guest-thread.js";
import { Readiness } from "../io/readiness.js";
import { Scheduler } from "./scheduler.js";

function setup() {
  const cpu = new Cpu({ memoryBytes: 1 << 20 });
  return { cpu, s: new Scheduler(cpu) };
}

describe("Scheduler", () => {
  it("gives each thread its own registers, fs base and x87 state across switches", () => {
    const { cpu, s } = setup();
    cpu.setReg(3, 111n);
    cpu.fsBase = 0x1000;
    const child = s.spawn((t) => {
      t.setResult(0);
      t.fsBase = 0x2000;
    });
    expect(child.tid).toBe(2);
    s.yield();
    expect(s.schedule(false)).toBe(true);
    expect(s.current).toBe(child);
    expect(cpu.getReg(0)).toBe(0n);
    expect(cpu.getReg(3)).toBe(111n); // inherited
    expect(cpu.fsBase).toBe(0x2000);
    const childX87 = cpu.x87;
    cpu.setReg(3, 222n);
    s.yield();
    s.schedule(false);
    expect(s.current.tid).toBe(1);
    expect(cpu.getReg(3)).toBe(111n);
    expect(cpu.fsBase).toBe(0x1000);
    expect(cpu.x87).not.toBe(childX87);
  });

  it("wakes futex waiters in order, honours bitsets and counts, and requeues", () => {
    const { s } = setup();
    const a = s.spawn(() => {});
    const b = s.spawn(() => {});
    const c = s.spawn(() => {});
    for (const [t, bitset] of [[a, 1], [b, 2], [c, -1]] as const) {
      t.state = ThreadState.Blocked;
      t.wait = { futex: 0x100, bitset, deadline: Infinity, timeoutResult: -110 };
    }
    expect(s.wake(0x100, 10, 2)).toBe(2); // b and c match bitset 2
    expect([a.state, b.state, c.state]).toEqual([ThreadState.Blocked, ThreadState.Runnable, ThreadState.Runnable]);
    expect(s.requeue(0x100, 0x200, 5)).toBe(1);
    expect(s.wake(0x100, 1)).toBe(0);
    expect(s.wake(0x200, 1)).toBe(1);
    expect(a.state).toBe(ThreadState.Runnable);
  });

  it("times out blocked threads with their timeout result and reports the next deadline", () => {
    const { s } = setup();
    const t = s.spawn(() => {});
    const now = performance.now();
    t.state = ThreadState.Blocked;
    t.wait = { futex: 0x100, bitset: -1, deadline: now + 50, timeoutResult: Scheduler.TIMED_OUT };
    expect(s.nextDeadline()).toBe(now + 50);
    s.expireDeadlines(now + 10);
    expect(t.state).toBe(ThreadState.Blocked);
    s.expireDeadlines(now + 60);
    expect(t.state).toBe(ThreadState.Runnable);
    expect(t.gpr[0]).toBe(-110);
    expect(s.nextDeadline()).toBe(Infinity);
  });

  it("reports that nothing can run when every thread is blocked, and forgets exited threads", () => {
    const { s } = setup();
    const t = s.spawn(() => {});
    s.block({ futex: 0x10, bitset: -1, deadline: Infinity, timeoutResult: 0 });
    expect(s.schedule(false)).toBe(true);
    expect(s.current).toBe(t);
    s.exitCurrent();
    expect(s.schedule(false)).toBe(false);
    expect(s.live).toBe(1);
    expect(s.wake(0x10, 1)).toBe(1);
    expect(s.resumeAfterWait()).toBe(true);
    expect(s.current.tid).toBe(1);
    expect(s.threads.map((x) => x.tid)).toEqual([1]);
  });
  it("ends a blocked call with EINTR on a signal, and records whether SA_RESTART may run it again", () => {
    const { cpu, s } = setup();
    const interruptedBy = (nr: number, deadline: number, futex = -1) => {
      cpu.setRegNumber(0, nr);
      cpu.rip = 0x1002;
      s.block({ futex, bitset: -1, deadline, timeoutResult: 0 });
      s.interrupt(s.current);
      expect(s.current.state).toBe(ThreadState.Runnable);
      expect(cpu.regNumber(0)).toBe(-4);
      expect(cpu.rip).toBe(0x1002);
      return s.current.interrupted!;
    };
    expect(interruptedBy(202, Infinity, 0x40)).toEqual({ nr: 202, restartable: true }); // futex wait
    expect(interruptedBy(202, 1e12, 0x40).restartable).toBe(false); // a timed futex wait
    expect(interruptedBy(35, 1e12).restartable).toBe(false); // nanosleep
    expect(interruptedBy(7, Infinity).restartable).toBe(false); // poll
    // A wait that re-runs its call (a pipe read) is stepped past the SYSCALL to return EINTR.
    cpu.setRegNumber(0, 0);
    cpu.rip = 0x2000;
    s.blockUntil(new Readiness(), Infinity, 0);
    s.interrupt(s.current);
    expect(cpu.rip).toBe(0x2002);
    expect(s.current.interrupted).toEqual({ nr: 0, restartable: true });
  });

  it("lets a new thread inherit the creator's x87 control state and signal mask, not its alternate stack", () => {
    const { cpu, s } = setup();
    cpu.x87.setControl(0x0b7f);
    s.current.sigmask = 0x200n;
    s.current.altstack = { sp: 0x5000, flags: 0, size: 8192 };
    const child = s.spawn(() => {});
    expect(child.x87).not.toBe(cpu.x87);
    expect(child.x87.control).toBe(0x0b7f);
    expect(child.sigmask).toBe(0x200n);
    expect(child.altstack.size).toBe(0);
  });
  it("keeps a woken call's deadline when it runs again, and forgets it once the call is done", () => {
    const { cpu, s } = setup();
    const ready = new Readiness();
    const t = s.current;
    cpu.setRegNumber(0, 7);
    cpu.rip = 0x3002;
    s.blockUntil(ready, 1000, 0);
    ready.notify(); // a spurious wake-up: the call runs again…
    expect(t.state).toBe(ThreadState.Runnable);
    s.blockUntil(ready, 5000, 0); // …and computes a later deadline from its timeout
    expect(t.wait?.deadline).toBe(1000);
    ready.notify();
    cpu.rip = 0x3004; // this time it returned
    s.schedule(false);
    cpu.rip = 0x3002;
    s.blockUntil(ready, 5000, 0);
    expect(t.wait?.deadline).toBe(5000);
  });
  it("replaces a thread's mask for one call and keeps the first mask it replaced", () => {
    const { s } = setup();
    const t = s.current;
    t.sigmask = 0x200n;
    t.setCallMask(~0n);
    expect(t.sigmask).toBe(~0n & ~(1n << 8n) & ~(1n << 18n)); // SIGKILL and SIGSTOP stay deliverable
    t.setCallMask(0n); // the same call, run again after a wake-up
    expect(t.savedMask).toBe(0x200n);
  });
});
