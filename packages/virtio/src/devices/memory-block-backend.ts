import { VirtioError } from "../virtio-error.js";
import type { BlockBackend, BlockRequest } from "./block-backend.js";
import { SECTOR_SIZE } from "./blk-constants.js";

/** A {@link BlockBackend} over a `Uint8Array`, completing synchronously. For tests and RAM disks. */
export class MemoryBlockBackend implements BlockBackend {
  /** The disk contents; its length is a multiple of 512. */
  readonly data: Uint8Array;
  readonly readOnly: boolean;
  /** Number of flushes served. */
  flushes = 0;

  /**
   * @param contents a size in bytes (zero-filled) or the bytes themselves (used, not copied).
   * @throws VirtioError (`driver`) when the size is not a multiple of 512.
   */
  constructor(contents: number | Uint8Array, options: { readOnly?: boolean } = {}) {
    this.data = typeof contents === "number" ? new Uint8Array(contents) : contents;
    if (this.data.length % SECTOR_SIZE !== 0) {
      throw new VirtioError("driver", `a block device of ${this.data.length} bytes is not a whole number of 512-byte sectors`);
    }
    this.readOnly = options.readOnly === true;
  }

  get sectors(): number {
    return this.data.length / SECTOR_SIZE;
  }

  submit(request: BlockRequest, done: (error?: Error) => void): void {
    let at = request.sector * SECTOR_SIZE;
    if (request.op === "flush") {
      this.flushes++;
    } else {
      for (const buffer of request.buffers) {
        if (request.op === "read") buffer.set(this.data.subarray(at, at + buffer.length));
        else this.data.set(buffer, at);
        at += buffer.length;
      }
    }
    done();
  }
}
