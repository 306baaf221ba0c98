import { SgList } from "@nanots/sg";
import { SECTOR_SIZE } from "./constants.js";

/**
 * Buffers for one transfer: a single buffer, or a scatter/gather list of fragments filled (or
 * drained) in order — an array of buffers or an `SgList` of `@nanots/sg` (its live bytes; nothing
 * is consumed or released). The total length must be a whole number of sectors.
 */
export type SectorBuffers = Uint8Array | readonly Uint8Array[] | SgList;

/**
 * A disk: fixed-size 512-byte sectors, read and written synchronously. Writes may be cached
 * until {@link BlockDevice.flush} returns; the filesystem orders its writes around flushes so a
 * crash at any point leaves a mountable image.
 */
export interface BlockDevice {
  /** Size of the device in sectors. */
  readonly sectorCount: number;
  /** Reads `sector…` into the buffers (whole sectors; never-written sectors read as zeros). */
  read(sector: number, target: SectorBuffers): void;
  /** Writes the buffers (whole sectors) starting at `sector`. */
  write(sector: number, source: SectorBuffers): void;
  /** Makes every completed write durable. */
  flush(): void;
  /** Changes the size (optional; `mkfs` uses it to size a new image). */
  resize?(sectorCount: number): void;
}

/** Total bytes of a transfer. */
export function transferLength(buffers: SectorBuffers): number {
  if (buffers instanceof Uint8Array) return buffers.length;
  if (buffers instanceof SgList) return buffers.totalLength;
  let total = 0;
  for (const b of buffers) total += b.length;
  return total;
}

/**
 * Checks a transfer against a device: whole sectors, inside the device. Throws a `RangeError`
 * naming the bad request (a programming error, not a damaged image).
 */
export function checkTransfer(device: { readonly sectorCount: number }, sector: number, buffers: SectorBuffers): number {
  const length = transferLength(buffers);
  if (length % SECTOR_SIZE !== 0) throw new RangeError(`transfer of ${length} bytes is not a whole number of sectors`);
  if (!Number.isSafeInteger(sector) || sector < 0 || sector + length / SECTOR_SIZE > device.sectorCount) {
    throw new RangeError(`sectors [${sector}, ${sector + length / SECTOR_SIZE}) are outside the device (${device.sectorCount} sectors)`);
  }
  return length;
}

/** The fragments of a transfer as an array. */
export function fragmentsOf(buffers: SectorBuffers): readonly Uint8Array[] {
  if (buffers instanceof Uint8Array) return [buffers];
  return buffers instanceof SgList ? [...buffers.chunks()] : buffers;
}
