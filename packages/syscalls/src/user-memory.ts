import { decodeIovecs, IOVEC_SIZE, type Iovec } from "./structs/iovec.js";

/**
 * The guest's user address space as the syscall layer sees it. Every access may fault: a read
 * returns `undefined` and a write returns `false` when any byte of the range is not mapped
 * with the needed permission, and the syscall then returns `EFAULT`.
 */
export interface UserMemory {
  /** A copy of `len` bytes at `addr`, or undefined when any of them is not readable. */
  read(addr: number, len: number): Uint8Array | undefined;
  /** Stores `bytes` at `addr`; false (and nothing stored) when any byte is not writable. */
  write(addr: number, bytes: Uint8Array): boolean;
  /**
   * The NUL-terminated string at `addr`, decoded as UTF-8: the bytes before the first NUL, or
   * the first `max` bytes when there is no NUL among them. Undefined when a byte before the
   * NUL (or before `max`) is not readable.
   */
  readCString(addr: number, max: number): string | undefined;
}

/** Linux's `UIO_MAXIOV`: the most iovecs one call takes. */
export const UIO_MAXIOV = 1024;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The little-endian u32 at `addr`, or undefined on a fault. */
export function readU32(mem: UserMemory, addr: number): number | undefined {
  const b = mem.read(addr, 4);
  return b === undefined ? undefined : view(b).getUint32(0, true);
}

/** The little-endian signed 32-bit value at `addr`, or undefined on a fault. */
export function readI32(mem: UserMemory, addr: number): number | undefined {
  const b = mem.read(addr, 4);
  return b === undefined ? undefined : view(b).getInt32(0, true);
}

/** The little-endian u64 at `addr` as a number (exact below 2^53), or undefined on a fault. */
export function readU64(mem: UserMemory, addr: number): number | undefined {
  const b = mem.read(addr, 8);
  return b === undefined ? undefined : Number(view(b).getBigUint64(0, true));
}

/** The little-endian signed 64-bit value at `addr` as a number, or undefined on a fault. */
export function readI64(mem: UserMemory, addr: number): number | undefined {
  const b = mem.read(addr, 8);
  return b === undefined ? undefined : Number(view(b).getBigInt64(0, true));
}

/** Stores a little-endian u32 (the value is taken modulo 2^32); false on a fault. */
export function writeU32(mem: UserMemory, addr: number, value: number): boolean {
  const b = new Uint8Array(4);
  view(b).setUint32(0, value >>> 0, true);
  return mem.write(addr, b);
}

/** Stores a little-endian 64-bit value (negative numbers as two's complement); false on a fault. */
export function writeU64(mem: UserMemory, addr: number, value: number): boolean {
  const b = new Uint8Array(8);
  view(b).setBigUint64(0, BigInt.asUintN(64, BigInt(Math.trunc(value))), true);
  return mem.write(addr, b);
}

/**
 * The `count` iovecs at `addr`, or undefined on a fault. The caller checks `count` against
 * {@link UIO_MAXIOV} first (Linux: `EINVAL`).
 */
export function readIovecs(mem: UserMemory, addr: number, count: number): Iovec[] | undefined {
  const b = mem.read(addr, count * IOVEC_SIZE);
  return b === undefined ? undefined : decodeIovecs(b);
}

/**
 * Guest memory in one `Uint8Array` mapped at `base`, with optional read-only ranges: the
 * implementation for tests and for tools that run the syscall layer without a CPU.
 *
 * @example
 * ```ts
 * const mem = new ArrayUserMemory(0x10000, 0x400000);
 * mem.write(0x400000, new TextEncoder().encode("hi\0"));
 * mem.readCString(0x400000, 4096); // "hi"
 * mem.read(0x3ff000, 1); // undefined: not mapped
 * ```
 */
export class ArrayUserMemory implements UserMemory {
  /** The backing bytes (`bytes[0]` is at address `base`). */
  readonly bytes: Uint8Array;
  /** The first mapped address. */
  readonly base: number;
  readonly #readOnly: Array<[start: number, end: number]> = [];
  readonly #decoder = new TextDecoder();

  constructor(size: number, base = 0x10000) {
    this.bytes = new Uint8Array(size);
    this.base = base;
  }

  /** Makes `[addr, addr + len)` read-only: writes touching it fail. */
  protectReadOnly(addr: number, len: number): void {
    this.#readOnly.push([addr, addr + len]);
  }

  #inside(addr: number, len: number): boolean {
    return Number.isSafeInteger(addr) && Number.isSafeInteger(len) && len >= 0 && addr >= this.base && addr + len <= this.base + this.bytes.length;
  }

  read(addr: number, len: number): Uint8Array | undefined {
    if (!this.#inside(addr, len)) return undefined;
    return this.bytes.slice(addr - this.base, addr - this.base + len);
  }

  write(addr: number, bytes: Uint8Array): boolean {
    if (!this.#inside(addr, bytes.length)) return false;
    const end = addr + bytes.length;
    if (bytes.length > 0 && this.#readOnly.some(([s, e]) => addr < e && s < end)) return false;
    this.bytes.set(bytes, addr - this.base);
    return true;
  }

  readCString(addr: number, max: number): string | undefined {
    if (!Number.isSafeInteger(addr) || addr < this.base || max < 0) return undefined;
    const start = addr - this.base;
    const limit = Math.min(this.bytes.length, start + max);
    if (start >= this.bytes.length) return max === 0 ? "" : undefined;
    const nul = this.bytes.subarray(start, limit).indexOf(0);
    // No NUL before the end of the mapping (and max not reached): the string runs off it.
    if (nul < 0 && limit - start < max) return undefined;
    return this.#decoder.decode(this.bytes.subarray(start, nul < 0 ? limit : start + nul));
  }
}
