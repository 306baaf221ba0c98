import { describe, expect, it } from "vitest";
import { KernelTimers } from "../io/kernel-timers.js";
import { IntervalTimer } from "./interval-timer.js";

describe("IntervalTimer", () => {
  it("expires once at its deadline", () => {
    const timers = new KernelTimers();
    const fired: number[] = [];
    const t = new IntervalTimer(timers, (overruns) => fired.push(overruns));
    t.arm(100, 0);
    expect(t.remaining(40)).toBe(60);
    timers.expire(99);
    expect(fired).toEqual([]);
    timers.expire(100);
    expect(fired).toEqual([0]);
    expect(t.deadline).toBeUndefined();
    expect(t.remaining(150)).toBe(0);
    expect(timers.length).toBe(0);
  });

  it("repeats every interval and counts the periods the host ran it late as overruns", () => {
    const timers = new KernelTimers();
    const fired: number[] = [];
    const t = new IntervalTimer(timers, (overruns) => fired.push(overruns));
    t.arm(10, 10);
    timers.expire(10);
    timers.expire(20);
    timers.expire(55); // 30, 40 and 50 passed: one expiry, two overruns
    expect(fired).toEqual([0, 0, 2]);
    expect(t.deadline).toBe(60);
    expect(t.remaining(55)).toBe(5);
  });

  it("stops when disarmed or re-armed", () => {
    const timers = new KernelTimers();
    const fired: number[] = [];
    const t = new IntervalTimer(timers, (overruns) => fired.push(overruns));
    t.arm(10, 10);
    t.arm(50, 0);
    expect(timers.length).toBe(1);
    timers.expire(20);
    expect(fired).toEqual([]);
    t.disarm();
    timers.expire(100);
    expect(fired).toEqual([]);
    expect(t.interval).toBe(0);
  });
});
