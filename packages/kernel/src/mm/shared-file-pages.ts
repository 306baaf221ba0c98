// One set of guest frames per file for its MAP_SHARED mappings: every shared mapping of the file
// maps the same frame at the same file offset, so stores through one are seen by the others at
// once, and the file's own reads, writes and truncation go through these pages (MappedPages) to
// stay coherent with them, as Linux's page cache does.
import type { MappedPages, OpenFile } from "@nanots/syscalls";
import type { AddressSpace } from "./address-space.js";
import { PAGE_SIZE } from "./frames.js";
import type { PageSource } from "./vmap.js";

const PAGE = PAGE_SIZE;

/** The shared pages of one open file in one address space: a page source and the file's page cache. */
export class SharedFilePages implements PageSource, MappedPages {
  /** Page index in the file → the frame that holds it. */
  readonly #frames = new Map<number, number>();
  /** Private mappings share the pages until they store into them. */
  readonly copyOnWrite = true;
  /** Whether a mapping may have stored into the pages (then they go back to the file). */
  #stored = false;

  private constructor(
    readonly file: OpenFile,
    readonly space: AddressSpace,
  ) {}

  /**
   * The shared pages of `file` in `space`, made on first use. They hold a reference to the file
   * (a mapping outlives its fd) until the last mapping of them goes.
   */
  static of(file: OpenFile, space: AddressSpace): SharedFilePages {
    if (file.pages instanceof SharedFilePages && file.pages.space === space) return file.pages;
    const pages = new SharedFilePages(file, space);
    // A file is mapped by one address space at a time (Nanos runs one process).
    file.pages?.flush();
    file.pages = pages;
    file.ref();
    return pages;
  }

  /** Marks the pages as possibly changed by stores (a writable mapping of them exists). */
  allowStores(): void {
    this.#stored = true;
  }

  /** Pages held now. */
  get size(): number {
    return this.#frames.size;
  }

  hasPage(offset: number): boolean {
    return this.#frames.has(offset / PAGE) || offset < this.file.size();
  }

  /** The frame of the page at file offset `offset` (read from the file on first use); -1 past the end of the file or when RAM is short. */
  frame(offset: number): number {
    const index = offset / PAGE;
    const held = this.#frames.get(index);
    if (held !== undefined) return held;
    // A page wholly past the end of the file has nothing behind it (SIGBUS on Linux).
    if (!this.hasPage(offset)) return -1;
    const frame = this.space.takeKernelFrame();
    if (frame < 0) return -1;
    const mem = this.space.cpu.mem;
    mem.fill(0, frame, frame + PAGE);
    mem.set(this.file.readStored(PAGE, offset), frame);
    this.#frames.set(index, frame);
    return frame;
  }

  /** The page's contents as the mappings see them. */
  fill(offset: number, dst: Uint8Array): void {
    const frame = this.#frames.get(offset / PAGE);
    if (frame === undefined) dst.set(this.file.read(dst.length, offset));
    else dst.set(this.space.cpu.mem.subarray(frame, frame + dst.length));
  }

  /** msync/munmap/exit: the page at `offset` goes to the file, up to the file's end (stores past it are dropped, as on Linux). */
  writeBack(offset: number, bytes: Uint8Array): void {
    const size = this.file.size();
    if (offset >= size) return;
    try {
      this.file.writeStored(bytes.subarray(0, Math.min(bytes.length, size - offset)), offset);
    } catch {
      // A failed write-back (a full disk) loses the data as a crashed writeback would; the
      // guest already saw its stores succeed.
    }
  }

  overlay(data: Uint8Array, position: number): void {
    this.#each(position, data.length, (frame, at, from, n) => data.set(this.space.cpu.mem.subarray(frame + at, frame + at + n), from));
  }

  written(data: Uint8Array, position: number, oldSize: number): void {
    // The file grew: what mappings stored past its old end is not part of it (Linux zeroes it).
    if (position + data.length > oldSize) this.#zeroFrom(oldSize);
    this.#each(position, data.length, (frame, at, from, n) => this.space.cpu.mem.set(data.subarray(from, from + n), frame + at));
    this.#discardCode(position, data.length);
  }

  resized(oldSize: number, newSize: number): void {
    this.#zeroFrom(Math.min(oldSize, newSize));
    if (newSize >= oldSize) return;
    // Pages wholly past the new end leave every mapping: touching them again faults.
    const firstGone = Math.ceil(newSize / PAGE);
    const gone = [...this.#frames].filter(([index]) => index >= firstGone);
    if (gone.length === 0) return;
    this.space.dropSourcePages(this, firstGone * PAGE);
    for (const [index, frame] of gone) {
      this.#frames.delete(index);
      this.space.releaseKernelFrame(frame);
    }
  }

  flush(): void {
    if (!this.#stored) return;
    for (const [index, frame] of [...this.#frames].sort((a, b) => a[0] - b[0])) this.writeBack(index * PAGE, this.space.cpu.mem.slice(frame, frame + PAGE));
  }

  /** The last mapping went: the pages reach the file and their frames go back to RAM. */
  lastUnmapped(): void {
    if (this.file.pages !== this) return; // let go already
    this.flush();
    for (const frame of this.#frames.values()) this.space.releaseKernelFrame(frame);
    this.#frames.clear();
    this.file.pages = undefined;
    this.file.unref();
  }

  /** Lets go of the pages when no vmap maps them (after a mapping of them failed to be made). */
  releaseIfUnmapped(): void {
    if (!this.space.uses(this)) this.lastUnmapped();
  }

  /** Zeroes the held bytes from file offset `from` to the end of its page. */
  #zeroFrom(from: number): void {
    const frame = this.#frames.get(Math.floor(from / PAGE));
    if (frame !== undefined && from % PAGE !== 0) this.space.cpu.mem.fill(0, frame + (from % PAGE), frame + PAGE);
  }

  /** Calls `f(frame, offset in page, offset in the range, length)` for each held page in [position, position + length). */
  #each(position: number, length: number, f: (frame: number, at: number, from: number, n: number) => void): void {
    if (this.#frames.size === 0 || length <= 0) return;
    const end = position + length;
    const first = Math.floor(position / PAGE);
    // Whichever is shorter: the pages of the range, or the pages held.
    const pages = Math.ceil(end / PAGE) - first > this.#frames.size ? [...this.#frames.keys()].filter((p) => p >= first && p * PAGE < end) : Array.from({ length: Math.ceil(end / PAGE) - first }, (_, k) => first + k);
    for (const page of pages) {
      const frame = this.#frames.get(page);
      if (frame === undefined) continue;
      const start = Math.max(position, page * PAGE);
      const n = Math.min(end, (page + 1) * PAGE) - start;
      f(frame, start - page * PAGE, start - position, n);
    }
  }

  /** Code decoded from changed pages is stale. */
  #discardCode(position: number, length: number): void {
    this.#each(position, length, (frame) => this.space.cpu.discardCode(frame / PAGE));
  }
}
