import type { UserMemory } from "@nanots/syscalls";
import { describe, expect, it } from "vitest";
import { GuestThread } from "./guest-thread.js";
import { releaseRobustList } from "./robust-list.js";

/** 64 KiB of user memory at 0x10000; everything else faults. */
function memory(): UserMemory & { u32(addr: number): number; setU64(addr: number, v: number): void; setU32(addr: number, v: number): void } {
  const base = 0x10000;
  const bytes = new Uint8Array(0x10000);
  const view = new DataView(bytes.buffer);
  const inside = (addr: number, len: number) => addr >= base && addr + len <= base + bytes.length;
  return {
    read: (addr, len) => (inside(addr, len) ? bytes.slice(addr - base, addr - base + len) : undefined),
    write: (addr, b) => (inside(addr, b.length) ? (bytes.set(b, addr - base), true) : false),
    readCString: () => undefined,
    u32: (addr) => view.getUint32(addr - base, true),
    setU64: (addr, v) => view.setBigUint64(addr - base, BigInt(v), true),
    setU32: (addr, v) => view.setUint32(addr - base, v, true),
  };
}

const HEAD = 0x10000;
const OFFSET = 8; // the lock word follows each entry's next pointer

describe("releaseRobustList", () => {
  it("marks the exiting thread's locks FUTEX_OWNER_DIED, keeps FUTEX_WAITERS and wakes one waiter", () => {
    const m = memory();
    const t = new GuestThread(7);
    t.robustList = HEAD;
    // head -> A -> B -> head; A is held by thread 7 with waiters, B by thread 8.
    const a = 0x10100, b = 0x10200;
    m.setU64(HEAD, a);
    m.setU64(HEAD + 8, OFFSET);
    m.setU64(a, b);
    m.setU64(b, HEAD);
    m.setU32(a + OFFSET, 0x80000000 | 7);
    m.setU32(b + OFFSET, 8);
    const woken: number[] = [];
    releaseRobustList(m, t, (addr) => woken.push(addr));
    expect(m.u32(a + OFFSET)).toBe(0xc0000000);
    expect(m.u32(b + OFFSET)).toBe(8);
    expect(woken).toEqual([a + OFFSET]);
  });

  it("handles the lock being taken (list_op_pending) and stops on a circular or bad list", () => {
    const m = memory();
    const t = new GuestThread(7);
    t.robustList = HEAD;
    const a = 0x10100;
    m.setU64(HEAD, a);
    m.setU64(HEAD + 8, OFFSET);
    m.setU64(HEAD + 16, 0x10300); // pending, not yet linked
    m.setU64(a, a); // a loop: the walk gives up after Linux's limit
    m.setU32(a + OFFSET, 7);
    m.setU32(0x10300 + OFFSET, 7);
    releaseRobustList(m, t, () => {});
    expect(m.u32(a + OFFSET)).toBe(0x40000000);
    expect(m.u32(0x10300 + OFFSET)).toBe(0x40000000);
    // A head outside memory is ignored.
    t.robustList = 0x999999;
    expect(() => releaseRobustList(m, t, () => {})).not.toThrow();
  });
});
