import type { RefCount } from "./ref-count.js";
import { liveBytes, liveLength, type SgBuf } from "./sg-buf.js";

/**
 * A scatter/gather list: an ordered list of fragments pointing into memory owned elsewhere,
 * consumed from the front. The Nanos `sg_list` used for block I/O, the page cache and sockets.
 *
 * A fragment never stays in the list empty: appending an empty one releases it at once, and a
 * fragment leaves (and its reference is released) as soon as its last byte is consumed.
 *
 * @example
 * ```ts
 * const sg = new SgList();
 * sg.append(new TextEncoder().encode("hello "));
 * sg.append(new TextEncoder().encode("world"));
 * const out = new Uint8Array(8);
 * sg.copyTo(out);      // 8: "hello wo", consumed
 * sg.totalLength;      // 3
 * ```
 */
export class SgList {
  private bufs: SgBuf[] = [];
  /** Index of the first fragment still in the list (fragments before it were removed). */
  private head = 0;
  private live = 0;

  /** Number of fragments in the list. */
  get length(): number {
    return this.bufs.length - this.head;
  }

  /** Live bytes across all fragments (consumed prefixes excluded). */
  get totalLength(): number {
    return this.live;
  }

  /**
   * Appends a fragment whose live data is `bytes` (a view; nothing is copied). The list takes
   * over one reference of `ref`. Returns the fragment (its `offset` is 0), or `undefined` when
   * `bytes` is empty: an empty fragment is released immediately.
   */
  append(bytes: Uint8Array, ref?: RefCount): SgBuf | undefined {
    if (bytes.length === 0) {
      ref?.release();
      return undefined;
    }
    const buf: SgBuf = { bytes, offset: 0, ref };
    this.bufs.push(buf);
    this.live += bytes.length;
    return buf;
  }

  /** The fragment at position `index` from the front, or `undefined`. */
  peekAt(index: number): SgBuf | undefined {
    return index >= 0 && index < this.length ? this.bufs[this.head + index] : undefined;
  }

  /** The first fragment, or `undefined` when the list is empty. */
  peekHead(): SgBuf | undefined {
    return this.bufs[this.head];
  }

  /**
   * Removes the first fragment and returns it; its reference passes to the caller (call
   * `ref?.release()` when done). `undefined` when the list is empty.
   */
  removeHead(): SgBuf | undefined {
    const buf = this.bufs[this.head];
    if (buf === undefined) return undefined;
    this.bufs[this.head++] = undefined as unknown as SgBuf;
    this.live -= liveLength(buf);
    if (this.head === this.bufs.length) {
      this.bufs = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.bufs.length) {
      this.bufs = this.bufs.slice(this.head); // keep front removal O(1) amortised
      this.head = 0;
    }
    return buf;
  }

  /** Drops up to `n` bytes from the front, releasing fragments used up. Returns bytes dropped. */
  consume(n: number): number {
    return this.walkFront(n, null);
  }

  /**
   * Copies up to `n` (default `dst.length`) live bytes into `dst` and consumes them.
   * Returns the number of bytes copied.
   */
  copyTo(dst: Uint8Array, n: number = dst.length): number {
    // The hot path of every read: a direct loop rather than walkFront's callback.
    const want = Math.min(n, dst.length);
    let at = 0;
    while (at < want) {
      const buf = this.bufs[this.head];
      if (buf === undefined) break;
      const { bytes, offset } = buf;
      const len = Math.min(want - at, bytes.length - offset);
      dst.set(offset === 0 && len === bytes.length ? bytes : bytes.subarray(offset, offset + len), at);
      at += len;
      if (offset + len < bytes.length) {
        buf.offset += len;
        this.live -= len;
        break;
      }
      this.removeHead();
      buf.ref?.release();
    }
    return at;
  }

  /**
   * Fills the list's fragments from `src` (the list describes destination memory, as a read's
   * iovecs do), consuming what it fills. Copies up to `n` (default `src.length`) bytes and
   * returns how many.
   */
  copyFrom(src: Uint8Array, n: number = src.length): number {
    let at = 0;
    return this.walkFront(Math.min(n, src.length), (buf, len) => {
      buf.bytes.set(src.subarray(at, at + len), buf.offset);
      at += len;
    });
  }

  /** Writes zeros into up to `n` bytes of the list's fragments, consuming them. Returns the count. */
  zeroFill(n: number): number {
    return this.walkFront(n, (buf, len) => buf.bytes.fill(0, buf.offset, buf.offset + len));
  }

  /**
   * Moves up to `n` bytes from the front of this list to the end of `dst`, without copying: the
   * new fragments view the same memory and take their own reference on it. Returns bytes moved.
   */
  moveTo(dst: SgList, n: number): number {
    return this.walkFront(n, (buf, len) => {
      buf.ref?.retain();
      dst.append(buf.bytes.subarray(buf.offset, buf.offset + len), buf.ref);
    });
  }

  /**
   * Copies up to `limit` live bytes into `dst`, then releases every fragment (the list is left
   * empty). Returns the number of bytes copied.
   */
  copyToAndRelease(dst: Uint8Array, limit: number = dst.length): number {
    const copied = this.copyTo(dst, limit);
    this.release();
    return copied;
  }

  /** Releases every fragment and empties the list. */
  release(): void {
    for (let buf = this.removeHead(); buf !== undefined; buf = this.removeHead()) buf.ref?.release();
  }

  /** The live bytes of each fragment, front to back (views; nothing is consumed). */
  *chunks(): IterableIterator<Uint8Array> {
    for (let i = this.head; i < this.bufs.length; i++) yield liveBytes(this.bufs[i]!);
  }

  /** Iterates the fragments front to back (nothing is consumed). */
  *[Symbol.iterator](): IterableIterator<SgBuf> {
    for (let i = this.head; i < this.bufs.length; i++) yield this.bufs[i]!;
  }

  /** A copy of all live bytes, in one array (nothing is consumed). */
  toUint8Array(): Uint8Array {
    const out = new Uint8Array(this.live);
    let at = 0;
    for (const chunk of this.chunks()) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /**
   * Consumes up to `n` bytes from the front, handing each piece (`len` bytes at `buf.offset`) to
   * `visit` before advancing past it; fragments used up leave and are released.
   */
  private walkFront(n: number, visit: ((buf: SgBuf, len: number) => void) | null): number {
    if (!(n > 0)) return 0;
    let remain = n;
    for (let buf = this.peekHead(); buf !== undefined && remain > 0; buf = this.peekHead()) {
      const len = Math.min(remain, liveLength(buf));
      visit?.(buf, len);
      remain -= len;
      if (len < liveLength(buf)) {
        buf.offset += len;
        this.live -= len;
        break;
      }
      this.removeHead();
      buf.ref?.release();
    }
    return n - remain;
  }
}
