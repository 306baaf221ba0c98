import { checkTransfer, fragmentsOf, type BlockDevice, type SectorBuffers } from "./block-device.js";
import { SECTOR_SIZE } from "./constants.js";

const CHUNK_SECTORS = 128;
const CHUNK_BYTES = CHUNK_SECTORS * SECTOR_SIZE;

/**
 * A {@link BlockDevice} in memory. Storage is sparse (64 KiB chunks allocated on first write),
 * so a huge, mostly empty device costs little.
 *
 * @example
 * ```ts
 * const device = new MemoryBlockDevice(2048);          // 1 MiB
 * const image = MemoryBlockDevice.from(readFileSync("disk.img"));
 * ```
 */
export class MemoryBlockDevice implements BlockDevice {
  #sectorCount: number;
  readonly #chunks = new Map<number, Uint8Array>();

  /** @param sectorCount the size in sectors. */
  constructor(sectorCount: number) {
    if (!Number.isSafeInteger(sectorCount) || sectorCount < 0) throw new RangeError(`bad sector count ${sectorCount}`);
    this.#sectorCount = sectorCount;
  }

  /** A device holding a copy of an image (its length rounded up to whole sectors). */
  static from(image: Uint8Array): MemoryBlockDevice {
    const device = new MemoryBlockDevice(Math.ceil(image.length / SECTOR_SIZE));
    for (let at = 0; at < image.length; at += CHUNK_BYTES) {
      const chunk = new Uint8Array(CHUNK_BYTES);
      chunk.set(image.subarray(at, at + CHUNK_BYTES));
      if (!isZero(chunk)) device.#chunks.set(at / CHUNK_BYTES, chunk);
    }
    return device;
  }

  /** Size in sectors. */
  get sectorCount(): number {
    return this.#sectorCount;
  }

  /** Bytes of storage actually allocated (the sparse footprint). */
  get allocatedBytes(): number {
    return this.#chunks.size * CHUNK_BYTES;
  }

  /** Reads whole sectors into the buffers; never-written sectors read as zeros. */
  read(sector: number, target: SectorBuffers): void {
    checkTransfer(this, sector, target);
    this.#walk(sector, target, (chunk, inChunk, fragment, at, n) => {
      if (chunk === undefined) fragment.fill(0, at, at + n);
      else fragment.set(chunk.subarray(inChunk, inChunk + n), at);
    });
  }

  /** Writes whole sectors from the buffers. */
  write(sector: number, source: SectorBuffers): void {
    checkTransfer(this, sector, source);
    this.#walk(sector, source, (chunk, inChunk, fragment, at, n, index) => {
      if (chunk === undefined) {
        chunk = new Uint8Array(CHUNK_BYTES);
        this.#chunks.set(index, chunk);
      }
      chunk.set(fragment.subarray(at, at + n), inChunk);
    });
  }

  // Visits the transfer chunk by chunk: `n` bytes at `fragment[at]` ↔ `chunk[inChunk]`.
  #walk(
    sector: number,
    buffers: SectorBuffers,
    visit: (chunk: Uint8Array | undefined, inChunk: number, fragment: Uint8Array, at: number, n: number, index: number) => void,
  ): void {
    let position = sector * SECTOR_SIZE;
    for (const fragment of fragmentsOf(buffers)) {
      for (let at = 0; at < fragment.length; ) {
        const index = Math.floor(position / CHUNK_BYTES);
        const inChunk = position % CHUNK_BYTES;
        const n = Math.min(fragment.length - at, CHUNK_BYTES - inChunk);
        visit(this.#chunks.get(index), inChunk, fragment, at, n, index);
        at += n;
        position += n;
      }
    }
  }

  /** Nothing to do: memory is as durable as it gets. */
  flush(): void {}

  /** Changes the size; sectors past the new end are dropped. */
  resize(sectorCount: number): void {
    if (!Number.isSafeInteger(sectorCount) || sectorCount < 0) throw new RangeError(`bad sector count ${sectorCount}`);
    this.#sectorCount = sectorCount;
    const firstGone = Math.ceil((sectorCount * SECTOR_SIZE) / CHUNK_BYTES);
    for (const index of [...this.#chunks.keys()]) if (index >= firstGone) this.#chunks.delete(index);
    const tail = this.#chunks.get(firstGone - 1);
    if (tail !== undefined) tail.fill(0, (sectorCount * SECTOR_SIZE) % CHUNK_BYTES || CHUNK_BYTES);
  }

  /** The whole image as one buffer (unwritten sectors as zeros). */
  toBytes(): Uint8Array {
    const image = new Uint8Array(this.#sectorCount * SECTOR_SIZE);
    for (const [index, chunk] of this.#chunks) image.set(chunk.subarray(0, Math.max(0, image.length - index * CHUNK_BYTES)), index * CHUNK_BYTES);
    return image;
  }
}

function isZero(chunk: Uint8Array): boolean {
  const words = new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.length >>> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}
