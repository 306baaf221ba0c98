import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, readvSync, writeSync, writevSync } from "node:fs";
import { checkTransfer, fragmentsOf, type BlockDevice, type SectorBuffers } from "../block-device.js";
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
    checkTransfer(this, sector, target);
    let position = this.#offset + sector * SECTOR_SIZE;
    for (const batch of batches(fragmentsOf(target))) {
      const want = batch.reduce((n, f) => n + f.length, 0);
      const got = batch.length === 1 ? 0 : readvSync(this.#fd, batch, position);
      // A short vectored read (or a single buffer): finish buffer by buffer; zeros past EOF.
      let at = position;
      let skip = got;
      for (const f of batch) {
        if (skip < f.length) {
          const n = readFully(this.#fd, f.subarray(skip), at + skip);
          f.fill(0, skip + n);
          skip = 0;
        } else {
          skip -= f.length;
        }
        at += f.length;
      }
      position += want;
    }
  }

  /** Writes whole sectors (`pwrite`/`pwritev`). */
  write(sector: number, source: SectorBuffers): void {
    checkTransfer(this, sector, source);
    let position = this.#offset + sector * SECTOR_SIZE;
    for (const batch of batches(fragmentsOf(source))) {
      const want = batch.reduce((n, f) => n + f.length, 0);
      const got = batch.length === 1 ? 0 : writevSync(this.#fd, batch, position);
      let at = position;
      let skip = got;
      for (const f of batch) {
        for (let done = skip; done < f.length; ) done += writeSync(this.#fd, f, done, f.length - done, at + done);
        skip = Math.max(0, skip - f.length);
        at += f.length;
      }
      position += want;
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

/** Most buffers one `preadv`/`pwritev` takes (Linux IOV_MAX). */
const IOV_MAX = 1024;

function* batches(fragments: readonly Uint8Array[]): Generator<Uint8Array[]> {
  for (let i = 0; i < fragments.length; i += IOV_MAX) yield fragments.slice(i, i + IOV_MAX) as Uint8Array[];
}

/** Reads into all of `target` from `position` unless the file ends first; returns the bytes read. */
export function readFully(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
