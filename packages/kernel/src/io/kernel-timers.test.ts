import { describe, expect, it } from "vitest";
import { KernelTimers } from "./kernel-timers.js";

describe("KernelTimers", () => {
  it("fires due timers in deadline order and keeps the rest", () => {
    const timers = new KernelTimers();
    const fired: number[] = [];
    timers.add(30, () => fired.push(30));
    timers.add(10, () => fired.push(10));
    const late = timers.add(50, () => fired.push(50));
    timers.add(20, () => fired.push(20));
    expect(timers.next()).toBe(10);
    expect(timers.expire(25)).toBe(2);
    expect(fired).toEqual([10, 20]);
    timers.cancel(late);
    expect(timers.next()).toBe(30);
    expect(timers.expire(100)).toBe(1);
    expect(fired).toEqual([10, 20, 30]);
    expect(timers.next()).toBe(Infinity);
  });

  it("never asks the host to wait longer than setTimeout can", () => {
    const timers = new KernelTimers();
    timers.add(performance.now() + 1e15, () => {});
    expect(timers.next()).toBeLessThanOrEqual(performance.now() + 2 ** 31);
    expect(timers.expire(performance.now() + 2 ** 31)).toBe(0); // it is not due yet
  });

  it("lets a firing timer add the next one (a periodic timer re-arms itself)", () => {
    const timers = new KernelTimers();
    let count = 0;
    const arm = (at: number): void => {
      timers.add(at, () => {
        count++;
        if (count < 3) arm(at + 10);
      });
    };
    arm(5);
    timers.expire(100); // all three periods are due: each firing adds the next, which fires too
    expect(count).toBe(3);
    expect(timers.length).toBe(0);
  });
});
