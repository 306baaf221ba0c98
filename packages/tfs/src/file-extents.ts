import { Tuple } from "@nanots/tuple";
import type { BlockDevice } from "./block-device.js";
import { SECTOR_SIZE } from "./constants.js";
import { TfsError } from "./tfs-error.js";

/** One extent of a file: `length` sectors of file data at file sector `fileSector`. */
export interface Extent {
  /** First file sector covered (the extent's key, decimal text on disk). */
  fileSector: number;
  /** Sectors of file data. */
  length: number;
  /** First filesystem sector of the data (`offset` on disk). */
  disk: number;
  /** Sectors reserved (≥ length). */
  allocated: number;
  /** Allocated but never written: reads as zeros. */
  uninited: boolean;
}

/**
 * The extents of a file's `extents` tuple, sorted by file sector. Checks that every number is
 * present and every run lies inside a filesystem of `sectorCount` sectors.
 *
 * @throws {@link TfsError} naming the file and the bad extent.
 */
export function parseExtents(extents: Tuple, sectorCount: number, path: string): Extent[] {
  const list: Extent[] = [];
  for (const [key, value] of extents) {
    const bad = (why: string): never => {
      throw new TfsError(`file ${path}: extent ${key.name} ${why}`);
    };
    if (!(value instanceof Tuple)) bad("is not a tuple");
    const t = value as Tuple;
    const fileSector = /^[0-9]+$/.test(key.name) ? Number(key.name) : bad("has a key that is not a sector number");
    const disk = t.getNumber("offset") ?? bad("has no valid offset");
    const length = t.getNumber("length") ?? bad("has no valid length");
    const allocated = t.getNumber("allocated") ?? length;
    if (disk < 0 || length < 0 || allocated < length || !Number.isSafeInteger(fileSector)) bad("has negative or inconsistent numbers");
    if (disk + allocated > sectorCount) bad(`covers sectors [${disk}, ${disk + allocated}) outside the filesystem (${sectorCount} sectors)`);
    list.push({ fileSector, length, disk, allocated, uninited: t.has("uninited") });
  }
  return list.sort((a, b) => a.fileSector - b.fileSector);
}

/** The tuple that stores an extent on disk (integers, as Nanos v5 writes them). */
export function extentTuple(extent: Extent): Tuple {
  const t = new Tuple();
  t.set("offset", extent.disk);
  t.set("length", extent.length);
  t.set("allocated", extent.allocated);
  return t;
}

/**
 * Reads file bytes `[position, position + out.length)` into `out`: extents' sectors where data
 * exists, zeros in holes, uninited extents and past the last extent. The caller clips to the
 * file length.
 */
export function readExtents(device: BlockDevice, extents: readonly Extent[], position: number, out: Uint8Array): void {
  const end = position + out.length;
  let zeroedTo = position; // everything before this is filled in
  let scratch: Uint8Array | undefined;
  for (const e of extents) {
    const from = Math.max(position, e.fileSector * SECTOR_SIZE);
    const to = Math.min(end, (e.fileSector + e.length) * SECTOR_SIZE);
    if (from >= to || e.uninited) continue;
    if (from > zeroedTo) out.fill(0, zeroedTo - position, from - position);
    // Whole sectors go straight into `out`; ragged edges through a one-sector scratch buffer.
    let at = from;
    while (at < to) {
      const diskSector = e.disk + Math.floor(at / SECTOR_SIZE) - e.fileSector;
      const inSector = at % SECTOR_SIZE;
      const whole = inSector === 0 ? Math.floor((to - at) / SECTOR_SIZE) : 0;
      if (whole > 0) {
        device.read(diskSector, out.subarray(at - position, at - position + whole * SECTOR_SIZE));
        at += whole * SECTOR_SIZE;
      } else {
        scratch ??= new Uint8Array(SECTOR_SIZE);
        device.read(diskSector, scratch);
        const n = Math.min(SECTOR_SIZE - inSector, to - at);
        out.set(scratch.subarray(inSector, inSector + n), at - position);
        at += n;
      }
    }
    zeroedTo = Math.max(zeroedTo, to);
  }
  if (end > zeroedTo) out.fill(0, zeroedTo - position);
}
