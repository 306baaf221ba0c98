import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, readvSync, writeSync, writevSync } from "node:fs";
import { checkTransfer, type BlockDevice, type SectorBuffers } from "../block-device.js";
import { SECTOR_SIZE } from "../constants.js";

/** Options of {@link FileBlockDevice.open}. */
export interface FileBlockDeviceOptions {
  /** Create the file if missing (default false). */
  create?: boolean;
  /** Open read-only (default false). */
  readOnly?: boolean;
  /**
   * Size of the device in sectors. Default: the file's size. The file is not extended until a
   * write lands past its end or {@link FileBlockDevice.resize} is called, so it stays sparse.
   */
  sectorCount?: number;
  /** Byte offset of the filesystem inside the file (a partition), default 0. */
  offset?: number;
  /**
   * `flush()` calls `fdatasync` (default true). False skips it: for building an image that is
   * simply rebuilt after a crash, as `mkfs` and `cp` do.
   */
  durable?: boolean;
}

/**
 * A {@link BlockDevice} over a host file (a disk image). Unwritten regions stay holes (sparse);
 * `flush` is `fdatasync`. Node only: import it from `@nanots/tfs/node`.
 *
 * @example
 * ```ts
 * const device = FileBlockDevice.open("disk.img");
 * const fs = Tfs.mount(device);
 * ```
 */
export class FileBlockDevice implements BlockDevice {
  readonly #fd: number;
  readonly #offset: number;
  #sectorCount: number;
  readonly #durable: boolean;
  #closed = false;

  private constructor(fd: number, sectorCount: number, offset: number, durable: boolean) {
    this.#fd = fd;
    this.#sectorCount = sectorCount;
    this.#offset = offset;
    this.#durable = durable;
  }

  /** Opens (or creates) an image file. */
  static open(path: string, options: FileBlockDeviceOptions = {}): FileBlockDevice {
    const flags = options.readOnly === true ? "r" : options.create === true ? "a+" : "r+";
    // "a+" creates without truncating, but appends on write: reopen as r+ once it exists.
    let fd = openSync(path, flags);
    if (flags === "a+") {
      closeSync(fd);
      fd = openSync(path, "r+");
    }
    const offset = options.offset ?? 0;
    const size = fstatSync(fd).size;
    const sectorCount = options.sectorCount ?? Math.floor(Math.max(0, size - offset) / SECTOR_SIZE);
    return new FileBlockDevice(fd, sectorCount, offset, options.durable !== false);
  }

  /** Size of the device in sectors. */
  get sectorCount(): number {
    return this.#sectorCount;
  }

  /** Reads whole sectors (`pread`/`preadv`); past the end of the file reads zeros. */
  read(sector: number, target: SectorBuffers): void {
    const length = checkTransfer(this, sector, target);
    const position = this.#offset + sector * SECTOR_SIZE;
    const got =
      target instanceof Uint8Array ? readFully(this.#fd, target, position) : readvSync(this.#fd, target as Uint8Array[], position);
    // Past the end of a sparse file: zeros.
    if (got < length) zeroFrom(target, got);
  }

  /** Writes whole sectors (`pwrite`/`pwritev`). */
  write(sector: number, source: SectorBuffers): void {
    const length = checkTransfer(this, sector, source);
    const position = this.#offset + sector * SECTOR_SIZE;
    if (source instanceof Uint8Array) {
      for (let done = 0; done < length; ) done += writeSync(this.#fd, source, done, length - done, position + done);
    } else {
      const written = writevSync(this.#fd, source as Uint8Array[], position);
      if (written !== length) throw new Error(`short write: ${written} of ${length} bytes at sector ${sector}`);
    }
  }

  /** `fdatasync`, unless opened with `durable: false`. */
  flush(): void {
    if (this.#durable) fdatasyncSync(this.#fd);
  }

  /** Sets the size; the file is extended sparsely (or cut) to match. */
  resize(sectorCount: number): void {
    this.#sectorCount = sectorCount;
    ftruncateSync(this.#fd, this.#offset + sectorCount * SECTOR_SIZE);
  }

  /** Closes the file. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

function readFully(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function zeroFrom(target: SectorBuffers, from: number): void {
  let skip = from;
  for (const fragment of target instanceof Uint8Array ? [target] : target) {
    if (skip >= fragment.length) {
      skip -= fragment.length;
      continue;
    }
    fragment.fill(0, skip);
    skip = 0;
  }
}
