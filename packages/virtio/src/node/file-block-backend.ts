import { closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readv, readvSync, writev, writevSync } from "node:fs";
import type { BlockBackend, BlockRequest } from "../devices/block-backend.js";
import { SECTOR_SIZE } from "../devices/blk-constants.js";
import { VirtioError } from "../virtio-error.js";

/** How a {@link FileBlockBackend} treats the file. */
export interface FileBlockBackendOptions {
  /** Open read-only; the device then offers VIRTIO_BLK_F_RO and fails writes with IOERR. */
  readonly readOnly?: boolean;
  /** `"writeback"` (default): FLUSH is `fdatasync`. `"unsafe"`: FLUSH does nothing (tests, scratch disks). */
  readonly cache?: "writeback" | "unsafe";
  /**
   * `"sync"` (default): `readvSync`/`writevSync`, cheapest for local, page-cached images.
   * `"async"`: `fs.readv`/`fs.writev` on libuv's thread pool, for slow or networked storage;
   * requests then complete later and out of order.
   */
  readonly mode?: "sync" | "async";
}

/**
 * A {@link BlockBackend} over a host file. Reads and writes are synchronous `readvSync` /
 * `writevSync` straight between the file and the guest-memory views (no copy), so a batch of
 * requests completes within one notify, FLUSH (`fdatasync`) included; in async mode all three go
 * through libuv's thread pool. A trailing partial
 * sector of the file is not part of the disk.
 */
export class FileBlockBackend implements BlockBackend {
  readonly sectors: number;
  readonly readOnly: boolean;
  private readonly cache: "writeback" | "unsafe";
  private readonly mode: "sync" | "async";
  private fd: number;

  /**
   * Opens an existing image.
   * @throws the `node:fs` error when the file cannot be opened.
   */
  static open(path: string, options: FileBlockBackendOptions = {}): FileBlockBackend {
    return new FileBlockBackend(openSync(path, options.readOnly === true ? "r" : "r+"), options);
  }

  /**
   * Creates (or truncates) a sparse image of `bytes` bytes, a multiple of 512.
   * @throws VirtioError (`driver`) for a bad size; the `node:fs` error when the file cannot be made.
   */
  static create(path: string, bytes: number, options: Omit<FileBlockBackendOptions, "readOnly"> = {}): FileBlockBackend {
    if (!(Number.isInteger(bytes) && bytes >= 0 && bytes % SECTOR_SIZE === 0)) {
      throw new VirtioError("driver", `image size ${bytes} is not a whole number of 512-byte sectors`);
    }
    const fd = openSync(path, "w+");
    ftruncateSync(fd, bytes);
    return new FileBlockBackend(fd, options);
  }

  private constructor(fd: number, options: FileBlockBackendOptions) {
    this.fd = fd;
    this.readOnly = options.readOnly === true;
    this.cache = options.cache ?? "writeback";
    this.mode = options.mode ?? "sync";
    this.sectors = Math.floor(fstatSync(fd).size / SECTOR_SIZE);
  }

  submit(request: BlockRequest, done: (error?: Error) => void): void {
    if (this.fd < 0) return done(new Error("the block image is closed"));
    if (request.op === "flush") {
      if (this.cache === "unsafe") return done();
      if (this.mode === "async") return fdatasync(this.fd, (error) => done(error ?? undefined));
      // In sync mode every request completes within its notify, FLUSH too: a kernel that waits
      // for the flush synchronously (fsync) sees it done.
      try {
        fdatasyncSync(this.fd);
      } catch (e) {
        return done(e instanceof Error ? e : new Error(String(e)));
      }
      return done();
    }
    if (this.mode === "async") return this.transferAsync(request, done);
    try {
      this.transfer(request);
    } catch (error) {
      return done(error instanceof Error ? error : new Error(String(error)));
    }
    done();
  }

  /** Closes the file; later requests fail. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  private transfer(request: BlockRequest): void {
    let position = request.sector * SECTOR_SIZE;
    let buffers = request.buffers.filter((buffer) => buffer.length > 0);
    while (buffers.length > 0) {
      // Both calls may move fewer bytes than asked (signals, IOV_MAX): continue where they stopped.
      const moved = request.op === "read" ? readvSync(this.fd, buffers, position) : writevSync(this.fd, buffers, position);
      if (moved === 0) {
        if (request.op === "write") throw new Error(`short write at byte ${position}`);
        for (const buffer of buffers) buffer.fill(0); // the file shrank under us: read zeros
        return;
      }
      position += moved;
      buffers = advance(buffers, moved);
    }
  }

  private transferAsync(request: BlockRequest, done: (error?: Error) => void): void {
    const fd = this.fd;
    let position = request.sector * SECTOR_SIZE;
    let buffers = request.buffers.filter((buffer) => buffer.length > 0);
    const issue = (): void => {
      if (buffers.length === 0) return done();
      if (request.op === "read") readv(fd, buffers, position, moved);
      else writev(fd, buffers, position, moved);
    };
    const moved = (error: Error | null, bytes: number): void => {
      if (error !== null) return done(error);
      if (bytes === 0) {
        if (request.op === "write") return done(new Error(`short write at byte ${position}`));
        for (const buffer of buffers) buffer.fill(0); // the file shrank under us: read zeros
        return done();
      }
      position += bytes;
      buffers = advance(buffers, bytes);
      issue();
    };
    issue();
  }
}

/** The buffers left after the first `bytes` bytes were transferred. */
function advance(buffers: readonly Uint8Array[], bytes: number): Uint8Array[] {
  let skip = bytes;
  let first = 0;
  while (first < buffers.length && skip >= buffers[first]!.length) skip -= buffers[first++]!.length;
  const rest = buffers.slice(first);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
