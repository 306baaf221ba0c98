// Pages of guest RAM that a kernel object owns and shares with the program through mmap (the
// io_uring rings): the kernel reads and writes them at region offsets, the program through
// whatever addresses it mapped them at, and both see the same bytes.
import type { FrameAllocator } from "../mm/frames.js";
import type { MappableFile } from "../mm/memory-manager.js";

const PAGE = 4096;

/** A region of kernel-owned guest RAM frames, readable and writable at region offsets. */
export class KernelPages {
  /** The frames, in region order (not contiguous in guest RAM). */
  readonly frames: number[] = [];
  private readonly view: DataView;

  /** Takes `size` bytes (rounded up to pages) of zeroed frames; throws RangeError when RAM is exhausted. */
  constructor(
    private readonly ram: Uint8Array,
    allocator: FrameAllocator,
    size: number,
  ) {
    for (let at = 0; at < size; at += PAGE) {
      const frame = allocator.allocate();
      if (frame < 0) {
        for (const f of this.frames) allocator.free(f);
        throw new RangeError("guest RAM exhausted");
      }
      ram.fill(0, frame, frame + PAGE);
      this.frames.push(frame);
    }
    this.view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  }

  /** Gives the frames back (only once nothing maps them any more). */
  free(allocator: FrameAllocator): void {
    for (const f of this.frames.splice(0)) allocator.free(f);
  }

  /** Bytes in the region. */
  get size(): number {
    return this.frames.length * PAGE;
  }

  /** The RAM address of region offset `offset`. */
  private at(offset: number): number {
    return this.frames[Math.floor(offset / PAGE)]! + (offset % PAGE);
  }

  /** A little-endian u32 at `offset` (4-byte aligned, so within one page). */
  u32(offset: number): number {
    return this.view.getUint32(this.at(offset), true);
  }

  setU32(offset: number, value: number): void {
    this.view.setUint32(this.at(offset), value >>> 0, true);
  }

  /** Copies `length` bytes out of the region. */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const n = Math.min(length - done, PAGE - ((offset + done) % PAGE));
      const from = this.at(offset + done);
      out.set(this.ram.subarray(from, from + n), done);
      done += n;
    }
    return out;
  }

  /** Copies bytes into the region. */
  write(offset: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const n = Math.min(bytes.length - done, PAGE - ((offset + done) % PAGE));
      this.ram.set(bytes.subarray(done, done + n), this.at(offset + done));
      done += n;
    }
  }

  /** A mapping of [start, start + length) of the region, for mmap. */
  mapping(name: string, start: number): MappableFile {
    return {
      name,
      writable: true,
      source: {
        fill: () => {}, // never called: every page comes from frame()
        frame: (offset) => this.frames[Math.floor((start + offset) / PAGE)]!,
      },
    };
  }
}
