import { TupleError } from "./tuple-error.js";

const TWO_POW_53 = 2 ** 53;

/**
 * A cursor over `bytes[pos, end)` that throws a {@link TupleError} naming the offset when the
 * input runs out or a number does not fit.
 */
export class ByteReader {
  /** The input. */
  readonly bytes: Uint8Array;
  /** Offset of the next byte to read. */
  pos: number;
  /** Offset where the input ends for this reader (exclusive). */
  readonly end: number;

  /** Reads `bytes[pos, end)`. */
  constructor(bytes: Uint8Array, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  /** Throws a {@link TupleError} at `offset` (default: the current position). */
  fail(message: string, offset = this.pos): never {
    throw new TupleError(`${message} at offset ${offset}`, { offset });
  }

  /** The next byte. */
  u8(what: string): number {
    if (this.pos >= this.end) this.fail(`truncated input: ${what} missing`);
    return this.bytes[this.pos++]!;
  }

  /** Takes `length` bytes (a view, not a copy). */
  take(length: number, what: string): Uint8Array {
    if (length > this.end - this.pos) {
      this.fail(`truncated input: ${what} needs ${length} bytes, ${this.end - this.pos} left`);
    }
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, this.pos);
  }

  /**
   * Continues a big-endian base-128 number whose first bits are `initial`, as used by varints
   * and by value-header length extensions. Must fit in a safe integer.
   */
  continueGroups(initial: number, what: string): number {
    const start = this.pos;
    let value = initial;
    let b: number;
    do {
      b = this.u8(what);
      value = value * 128 + (b & 0x7f);
      if (value >= TWO_POW_53) this.fail(`${what} is too large`, start);
    } while (b & 0x80);
    return value;
  }

  /** A varint (§3 of the TFS format) that must be below 2^53. */
  varint(what: string): number {
    return this.continueGroups(0, what);
  }

  /**
   * A varint up to 2^64 − 1: a `number` when below 2^53, else a `bigint`. Small values, the
   * common case, never touch bigint arithmetic.
   */
  varintInteger(what: string): number | bigint {
    const start = this.pos;
    let value = 0;
    for (;;) {
      if (this.pos >= this.end || value >= 2 ** 46) break;
      const b = this.bytes[this.pos++]!;
      value = value * 128 + (b & 0x7f);
      if (!(b & 0x80)) return value;
    }
    this.pos = start;
    const big = this.varint64(what);
    return big < 2n ** 53n ? Number(big) : big;
  }

  /** A varint up to 2^64 − 1, as a bigint. */
  varint64(what: string): bigint {
    const start = this.pos;
    let value = 0n;
    let b: number;
    do {
      b = this.u8(what);
      value = (value << 7n) | BigInt(b & 0x7f);
      if (value >> 64n !== 0n) this.fail(`${what} does not fit in 64 bits`, start);
    } while (b & 0x80);
    return value;
  }
}
