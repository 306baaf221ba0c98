import { TupleError } from "./tuple-error.js";

const POOL_SIZE = 8192;
let pool = new Uint8Array(POOL_SIZE);
let poolUsed = 0;

/** A growable byte buffer that values are encoded into. */
export class ByteWriter {
  #bytes: Uint8Array;
  /** Number of bytes written. */
  length = 0;

  /** An empty writer with room for `capacity` bytes before it grows. */
  constructor(capacity = 256) {
    this.#bytes = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
    grown.set(this.#bytes.subarray(0, this.length));
    this.#bytes = grown;
  }

  /** Appends one byte. */
  u8(b: number): void {
    if (this.length === this.#bytes.length) this.reserve(1);
    this.#bytes[this.length++] = b;
  }

  /** Appends bytes. */
  write(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.#bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Appends a string whose characters are all below U+0080, one byte each. */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.#bytes[this.length++] = text.charCodeAt(i);
  }

  /**
   * Appends a varint (big-endian base-128, minimal form): a safe integer `number`, or a
   * `bigint` up to 2^64 − 1.
   */
  varint(value: number | bigint): void {
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value) || value < 0) throw new TupleError(`varint ${value} is not an unsigned safe integer`);
      if (value < 0x80) {
        this.u8(value);
        return;
      }
      let groups = 1;
      for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) groups++;
      this.reserve(groups);
      for (let i = groups - 1; i >= 0; i--) {
        this.#bytes[this.length + i] = (value % 0x80) | (i < groups - 1 ? 0x80 : 0);
        value = Math.floor(value / 0x80);
      }
      this.length += groups;
      return;
    }
    if (value < 0n || value >> 64n !== 0n) throw new TupleError(`varint ${value} is outside 0 … 2^64−1`);
    const groups: number[] = [];
    do {
      groups.push(Number(value & 0x7fn));
      value >>= 7n;
    } while (value > 0n);
    for (let i = groups.length - 1; i >= 0; i--) this.u8(groups[i]! | (i > 0 ? 0x80 : 0));
  }

  /**
   * The bytes written so far, as a copy. Small copies are carved out of a shared 8 KiB pool (as
   * Node does for small Buffers), since one ArrayBuffer per tiny record costs more than the
   * record: the result's `.buffer` may hold other data, so use the view, not its buffer.
   */
  toBytes(): Uint8Array {
    const n = this.length;
    if (n > POOL_SIZE / 8) return this.#bytes.slice(0, n);
    if (poolUsed + n > POOL_SIZE) {
      pool = new Uint8Array(POOL_SIZE);
      poolUsed = 0;
    }
    const copy = pool.subarray(poolUsed, poolUsed + n);
    copy.set(this.#bytes.subarray(0, n));
    poolUsed += n;
    return copy;
  }

  /** Forgets what was written, keeping the capacity. */
  reset(): void {
    this.length = 0;
  }
}
