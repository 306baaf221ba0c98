// Robust futexes: a thread keeps a list of the robust mutexes it holds (set_robust_list). When
// it exits holding one, the kernel marks the lock word FUTEX_OWNER_DIED and wakes a waiter, so
// the next locker gets EOWNERDEAD instead of waiting forever.
import type { UserMemory } from "@nanots/syscalls";
import type { GuestThread } from "./guest-thread.js";

/** struct robust_list_head: next, futex_offset, list_op_pending. */
export const ROBUST_LIST_HEAD_SIZE = 24;
/** Linux stops after this many entries, so a corrupt (circular) list cannot hang the exit. */
const ROBUST_LIST_LIMIT = 2048;
const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;

function readU64(memory: UserMemory, addr: number): number | undefined {
  const b = memory.read(addr, 8);
  if (b === undefined) return undefined;
  return Number(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & 0xffffffffffffn);
}

/**
 * Releases the robust mutexes `t` still holds as it exits: each lock word whose owner is `t`
 * gets FUTEX_OWNER_DIED (keeping FUTEX_WAITERS), and one waiter is woken. `wake(address, n)`
 * wakes futex waiters. A bad pointer ends the walk quietly, as on Linux.
 */
export function releaseRobustList(memory: UserMemory, t: GuestThread, wake: (address: number, count: number) => void): void {
  const head = t.robustList;
  if (head === 0) return;
  const headBytes = memory.read(head, ROBUST_LIST_HEAD_SIZE);
  if (headBytes === undefined) return;
  const v = new DataView(headBytes.buffer, headBytes.byteOffset, ROBUST_LIST_HEAD_SIZE);
  const offset = Number(v.getBigInt64(8, true));
  const pending = Number(v.getBigUint64(16, true) & 0xfffffffffffen);
  const died = (entry: number, isPending: boolean): void => {
    const word = entry + offset;
    if (word % 4 !== 0) return;
    const b = memory.read(word, 4);
    if (b === undefined) return;
    const value = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
    // A lock being released when the thread died (list_op_pending) may have waiters but no owner.
    if (isPending && value === 0) return wake(word, 1);
    if ((value & FUTEX_TID_MASK) !== t.tid) return;
    const marked = ((value & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, marked, true);
    if (!memory.write(word, out)) return;
    if ((value & FUTEX_WAITERS) !== 0) wake(word, 1);
  };
  let entry = Number(v.getBigUint64(0, true) & 0xfffffffffffen);
  for (let n = 0; entry !== head && n < ROBUST_LIST_LIMIT; n++) {
    const next = readU64(memory, entry);
    if (next === undefined) break;
    if (entry !== pending) died(entry, false);
    entry = next - (next % 2); // bit 0 marks a PI futex
  }
  if (pending !== 0) died(pending, true);
}
