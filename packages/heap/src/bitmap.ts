import { INVALID, MAX_ADDRESS } from "./constants.js";
import { findOrder, isCount, pad } from "./math.js";

/** Storage grows in steps of this many bits, as in Nanos (`ALLOC_EXTEND_BITS`). */
export const BITMAP_EXTEND_BITS = 4096;
/**
 * Storage is dense, so it stops growing at 2^31 bits (256 MiB); bits above stay clear and
 * cannot be set, like a Nanos bitmap whose buffer cannot be extended.
 */
export const BITMAP_MAX_STORAGE_BITS = 2 ** 31;

const WORD_BITS = 32;
const ALL_ONES = 0xffffffff;
const EXTEND_WORDS = BITMAP_EXTEND_BITS / WORD_BITS;

function lowestSetIndex(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/**
 * A growable bit array used as an allocator (Nanos `bitmap`). `maxBits` is the logical length;
 * storage grows lazily in 4096-bit steps and bits beyond it read as clear.
 *
 * Differs from Nanos: multi-bit allocations check every bit of the candidate block (Nanos checked
 * only the part in the first 64-bit word when `start` was unaligned, and claimed bits owned by
 * others), and alignment is measured from `start` on every word, not only the first.
 */
export class Bitmap {
  /** Logical length in bits; `Infinity` at construction becomes the largest multiple of 64 below 2^53. */
  readonly maxBits: number;
  private words: Uint32Array;
  /** One bit per storage word, set while that word is all ones: lets searches for a clear bit skip 32 full words at a time. */
  private full: Uint32Array;
  private readonly wrapped: boolean;

  /**
   * @param maxBits logical length (≥ 1), or `Infinity`.
   * @throws RangeError when `maxBits` is not a positive integer or `Infinity`.
   */
  constructor(maxBits: number, words?: Uint32Array) {
    if (maxBits === Infinity) maxBits = Math.floor(MAX_ADDRESS / 64) * 64;
    if (!Number.isInteger(maxBits) || maxBits < 1 || maxBits > MAX_ADDRESS + 1) {
      throw new RangeError(`bitmap length must be a positive integer up to 2^53, got ${maxBits}`);
    }
    this.maxBits = maxBits;
    this.wrapped = words !== undefined;
    this.words = words ?? new Uint32Array(Math.min(EXTEND_WORDS, Math.ceil(maxBits / 64) * 2));
    this.full = new Uint32Array(Math.ceil(this.words.length / WORD_BITS));
    this.markFullWords(0, this.words.length);
  }

  /** Recomputes the full-word summary for storage words `[from, to)`. */
  private markFullWords(from: number, to: number): void {
    for (let w = from; w < to; w++) {
      const k = w >>> 5;
      const bit = 1 << (w & 31);
      this.full[k] = this.words[w] === ALL_ONES ? this.full[k]! | bit : this.full[k]! & ~bit;
    }
  }

  /**
   * A bitmap over caller-owned 32-bit words (Nanos `bitmap_wrap`); bit i is bit (i % 32) of
   * word ⌊i / 32⌋. The words never grow, so `maxBits` is limited to their capacity. Change the
   * words only through the bitmap afterwards: it keeps a summary of full words.
   */
  static wrap(words: Uint32Array, maxBits: number = words.length * WORD_BITS): Bitmap {
    if (maxBits > words.length * WORD_BITS) {
      throw new RangeError(`a wrapped bitmap of ${maxBits} bits needs ${Math.ceil(maxBits / WORD_BITS)} words, got ${words.length}`);
    }
    return new Bitmap(maxBits, words);
  }

  /** Bits of storage currently allocated. */
  get mapBits(): number {
    return this.words.length * WORD_BITS;
  }

  /** The storage words (read-only use: the allocator owns them). */
  get storage(): Uint32Array {
    return this.words;
  }

  /** Grows storage so that bit `last` exists; false when `last` is beyond `maxBits`, the storage limit, or a wrapped map's words. */
  extend(last: number): boolean {
    if (last < this.mapBits) return true;
    if (last >= this.maxBits || last >= BITMAP_MAX_STORAGE_BITS || this.wrapped) return false;
    const wanted = Math.min(pad(last + 1, BITMAP_EXTEND_BITS), pad(this.maxBits, 64));
    const grown = new Uint32Array(wanted / WORD_BITS);
    grown.set(this.words);
    this.words = grown;
    const summary = new Uint32Array(Math.ceil(grown.length / WORD_BITS));
    summary.set(this.full);
    this.full = summary;
    return true;
  }

  /** Reads bit `i`; false beyond storage or for an invalid index. */
  get(i: number): boolean {
    // Storage stays below 2^31 bits, so in-storage indexes fit 32-bit integer operations.
    if (!(i >= 0 && i < this.words.length * WORD_BITS) || (i | 0) !== i) return false;
    return ((this.words[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  /** Writes bit `i`, growing storage; false when `i` is outside `[0, maxBits)`. */
  set(i: number, value: boolean): boolean {
    if (!(i >= 0 && i < this.words.length * WORD_BITS) || (i | 0) !== i) {
      if (!isCount(i) || !this.extend(i)) return false;
    }
    const w = i >>> 5;
    const mask = 1 << (i & 31);
    const k = w >>> 5;
    if (value) {
      const word = this.words[w]! | mask; // a signed 32-bit result: all ones is -1
      this.words[w] = word;
      if (word === -1) this.full[k] = this.full[k]! | (1 << (w & 31));
    } else {
      this.words[w] = this.words[w]! & ~mask;
      this.full[k] = this.full[k]! & ~(1 << (w & 31));
    }
    return true;
  }

  /** Writes `value` to bits `[start, start + n)`; storage must already cover them. */
  private fill(start: number, n: number, value: boolean): void {
    let i = start;
    const end = start + n;
    while (i < end) {
      const w = Math.floor(i / WORD_BITS);
      const lo = i % WORD_BITS;
      const hi = Math.min(WORD_BITS, lo + (end - i));
      const mask = hi - lo === WORD_BITS ? -1 : ((1 << (hi - lo)) - 1) << lo;
      this.words[w] = value ? this.words[w]! | mask : this.words[w]! & ~mask;
      i += hi - lo;
    }
    this.markFullWords(Math.floor(start / WORD_BITS), Math.ceil(end / WORD_BITS));
  }

  /** First set bit in `[start, end)`, or INVALID; bits beyond storage are clear. */
  private firstSet(start: number, end: number): number {
    const words = this.words;
    const stored = Math.min(end, words.length * WORD_BITS);
    if (start >= stored) return INVALID;
    let w = start >>> 5;
    const lastWord = (stored - 1) >>> 5;
    let word = words[w]! & (-1 << (start & 31));
    while (word === 0) {
      if (++w > lastWord) return INVALID;
      word = words[w]!;
    }
    const found = (w << 5) + lowestSetIndex(word);
    return found < stored ? found : INVALID;
  }

  /** First clear bit in `[start, end)`, or INVALID; bits beyond storage are clear. */
  private firstClear(start: number, end: number): number {
    const words = this.words;
    const stored = Math.min(end, words.length * WORD_BITS);
    if (start >= stored) return start < end ? start : INVALID;
    let w = start >>> 5;
    const lastWord = (stored - 1) >>> 5;
    let word = ~words[w]! & (-1 << (start & 31));
    if (word === 0) {
      // Find the next word that is not full through the summary, 32 words per step.
      const full = this.full;
      w++;
      for (;;) {
        if (w > lastWord) return stored < end ? stored : INVALID;
        const notFull = ~full[w >>> 5]! & (-1 << (w & 31));
        if (notFull !== 0) {
          w = (w & ~31) + lowestSetIndex(notFull);
          if (w > lastWord) return stored < end ? stored : INVALID;
          word = ~words[w]!;
          break;
        }
        w = (w & ~31) + 32;
      }
    }
    const found = (w << 5) + lowestSetIndex(word);
    return found < end ? found : INVALID;
  }

  /** True when `[start, start + n)` is a valid range of this bitmap. */
  private inBounds(start: number, n: number): boolean {
    return isCount(start) && isCount(n) && start < this.maxBits && start + n <= this.maxBits;
  }

  /**
   * Sets bits `[start, start + n)` to `value` (Nanos `bitmap_range_check_and_set`). With
   * `validate`, every bit must currently be `!value`, otherwise nothing changes. False when the
   * range leaves `[0, maxBits)` or validation fails.
   */
  rangeCheckAndSet(start: number, n: number, validate: boolean, value: boolean): boolean {
    if (!this.inBounds(start, n)) return false;
    if (n === 0) return true;
    if (validate) {
      const conflict = value ? this.firstSet(start, start + n) : this.firstClear(start, start + n);
      if (conflict !== INVALID) return false;
    }
    if (!this.extend(start + n - 1)) return false;
    this.fill(start, n, value);
    return true;
  }

  /** First set bit in `[start, start + n)`, or INVALID (Nanos `bitmap_range_get_first`). */
  rangeGetFirst(start: number, n: number): number {
    if (!isCount(start) || !isCount(n)) return INVALID;
    return this.firstSet(start, start + n);
  }

  /** First clear bit at or after `start` and below `end` (default `maxBits`), or INVALID. */
  findFirstClear(start = 0, end = this.maxBits): number {
    if ((start | 0) !== start && !Number.isSafeInteger(start)) return INVALID;
    if (start < 0) return INVALID;
    return this.firstClear(start, end < this.maxBits ? end : this.maxBits);
  }

  /** Allocates `n` clear bits anywhere: `allocWithinRange(n, 0, maxBits)`. */
  alloc(n: number): number {
    return this.allocWithinRange(n, 0, this.maxBits);
  }

  /**
   * Finds `n` clear bits in `[start, min(end, maxBits))`, aligned to the next power of two ≥ n
   * measured from `start`, sets them and returns the first index, or INVALID.
   */
  allocWithinRange(n: number, start: number, end: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || !isCount(start)) return INVALID;
    const limit = Math.min(end, this.maxBits);
    const align = 2 ** findOrder(n);
    let candidate = start;
    while (candidate + n <= limit) {
      const clear = this.firstClear(candidate, limit);
      if (clear === INVALID) return INVALID;
      candidate = start + pad(clear - start, align);
      if (candidate + n > limit) return INVALID;
      const taken = this.firstSet(candidate, candidate + n);
      if (taken === INVALID) {
        if (!this.extend(candidate + n - 1)) return INVALID;
        this.fill(candidate, n, true);
        return candidate;
      }
      candidate = start + pad(taken + 1 - start, align);
    }
    return INVALID;
  }

  /** Clears `[bit, bit + n)` if every bit is set; false (and no change) otherwise. */
  dealloc(bit: number, n: number): boolean {
    if (!this.inBounds(bit, n) || n === 0) return false;
    if (this.firstClear(bit, bit + n) !== INVALID) return false;
    this.fill(bit, n, false);
    return true;
  }

  /** Number of set bits. */
  countSet(): number {
    let count = 0;
    for (const word of this.words) {
      let w = word;
      while (w !== 0) {
        w &= w - 1;
        count++;
      }
    }
    return count;
  }

  /** Calls `visit` for each set bit in ascending order; stops early when it returns false. */
  forEachSet(visit: (bit: number) => boolean | void): boolean {
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w]!;
      while (word !== 0) {
        const bit = lowestSetIndex(word);
        if (visit(w * WORD_BITS + bit) === false) return false;
        word &= word - 1;
      }
    }
    return true;
  }

  /** A deep copy owning its storage (Nanos `bitmap_clone`; a wrapped map clones into owned storage). */
  clone(): Bitmap {
    const copy = new Bitmap(this.maxBits);
    copy.words = this.words.slice();
    copy.full = this.full.slice();
    return copy;
  }

  /**
   * Copies `source` into this bitmap (Nanos `bitmap_copy`); storage past the source's is cleared.
   * @throws RangeError when the lengths differ.
   */
  copyFrom(source: Bitmap): void {
    if (source.maxBits !== this.maxBits) {
      throw new RangeError(`bitmap copy needs equal lengths, got ${source.maxBits} into ${this.maxBits}`);
    }
    // A wrapped map keeps its caller's words; they already cover maxBits.
    if (source.words.length > this.words.length && !this.wrapped) {
      this.words = new Uint32Array(source.words.length);
      this.full = new Uint32Array(Math.ceil(this.words.length / WORD_BITS));
    }
    this.words.fill(0);
    this.words.set(source.words.subarray(0, Math.min(source.words.length, this.words.length)));
    this.markFullWords(0, this.words.length);
  }
}
