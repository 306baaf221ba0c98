import { fail } from "../linux-error.js";
import { concatBytes } from "../structs/bytes-view.js";
import type { UserMemory } from "../user-memory.js";
import { PATH_MAX } from "../vfs/resolve-path.js";

/** The low 32 bits of a register as a signed int (how the kernel reads an `int` argument). */
export const int = (v: number): number => v | 0;
/** The low 32 bits as an unsigned int. */
export const uint = (v: number): number => v >>> 0;
/** A 64-bit register as an unsigned size (`size_t`); huge values stay huge. */
export const usize = (v: number): number => (v < 0 ? v + 2 ** 64 : v);

/** Linux's `MAX_RW_COUNT`: one read or write moves at most this many bytes. */
export const MAX_RW_COUNT = 0x7ffff000;
/** Bytes moved between the guest and a file per step. */
export const CHUNK = 64 * 1024;

const encoder = new TextEncoder();

/** The path string at `addr`; `EFAULT` when unreadable, `ENAMETOOLONG` at 4096 bytes or more. */
export function readPath(mem: UserMemory, addr: number): string {
  const s = mem.readCString(addr, PATH_MAX);
  if (s === undefined) fail("EFAULT", "path");
  if (s.length >= PATH_MAX / 4 && encoder.encode(s).length >= PATH_MAX) fail("ENAMETOOLONG");
  return s;
}

/** Copies `bytes` to the guest; `EFAULT` when it cannot. */
export function copyOut(mem: UserMemory, addr: number, bytes: Uint8Array): void {
  if (!mem.write(addr, bytes)) fail("EFAULT");
}

/** `len` bytes from the guest; `EFAULT` when unreadable. */
export function copyIn(mem: UserMemory, addr: number, len: number): Uint8Array {
  const b = mem.read(addr, len);
  if (b === undefined) fail("EFAULT");
  return b;
}

/**
 * Reads up to `count` bytes from `source` into guest memory at `addr`, a chunk at a time.
 * Stops at a short chunk. A fault before anything was copied is `EFAULT`; after, the count so
 * far is returned and `unread` is told how many bytes were taken but not delivered.
 */
export function transferIn(mem: UserMemory, addr: number, count: number, source: (length: number) => Uint8Array, unread?: (bytes: number) => void): number {
  const total = Math.min(count, MAX_RW_COUNT);
  if (total === 0) {
    source(0);
    return 0;
  }
  let done = 0;
  while (done < total) {
    const want = Math.min(CHUNK, total - done);
    const data = source(want);
    if (data.length > 0 && !mem.write(addr + done, data)) {
      // As Linux: the bytes before the faulting page are delivered and counted.
      const stored = storePrefix(mem, addr + done, data);
      unread?.(data.length - stored);
      done += stored;
      if (done === 0) fail("EFAULT");
      break;
    }
    done += data.length;
    if (data.length < want) break;
  }
  return done;
}

/**
 * Writes up to `count` bytes of guest memory at `addr` to `sink`, a chunk at a time; `EFAULT`
 * when the first chunk is unreadable, the count so far when a later one is.
 */
export function transferOut(mem: UserMemory, addr: number, count: number, sink: (data: Uint8Array) => number): number {
  const total = Math.min(count, MAX_RW_COUNT);
  if (total === 0) return sink(new Uint8Array(0));
  let done = 0;
  while (done < total) {
    const want = Math.min(CHUNK, total - done);
    const data = mem.read(addr + done, want);
    if (data === undefined) {
      // As Linux: the readable bytes before the faulting page are still written.
      const prefix = loadPrefix(mem, addr + done, want);
      if (prefix.length > 0) done += sink(prefix);
      if (done === 0) fail("EFAULT");
      break;
    }
    const n = sink(data);
    done += n;
    if (n < want) break;
  }
  return done;
}

const PAGE = 4096;

/** The pieces of `[addr, addr + len)` split at page boundaries. */
function* pages(addr: number, len: number): Generator<[at: number, n: number]> {
  for (let at = addr; at < addr + len; ) {
    const n = Math.min(addr + len, Math.floor(at / PAGE) * PAGE + PAGE) - at;
    yield [at, n];
    at += n;
  }
}

/** Stores `data` page by page until a page faults; the bytes stored. */
function storePrefix(mem: UserMemory, addr: number, data: Uint8Array): number {
  let stored = 0;
  for (const [at, n] of pages(addr, data.length)) {
    if (!mem.write(at, data.subarray(stored, stored + n))) break;
    stored += n;
  }
  return stored;
}

/** The readable bytes at `addr`, page by page up to the first that faults. */
function loadPrefix(mem: UserMemory, addr: number, len: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [at, n] of pages(addr, len)) {
    const part = mem.read(at, n);
    if (part === undefined) break;
    parts.push(part);
  }
  return concatBytes(parts);
}
