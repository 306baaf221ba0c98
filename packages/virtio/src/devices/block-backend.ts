/** What a block backend is asked to do. */
export type BlockOp = "read" | "write" | "flush";

/** One block request, already validated by the device (range, alignment, read-only). */
export interface BlockRequest {
  readonly op: BlockOp;
  /** First 512-byte sector (0 for flush). */
  readonly sector: number;
  /**
   * Views of guest memory, in order, each a multiple of 512 bytes in total: filled by a read,
   * drained by a write, empty for a flush. They are live: write into them, do not keep them.
   */
  readonly buffers: readonly Uint8Array[];
}

/**
 * Storage behind a virtio-blk device. `submit` may complete at once or later and in any order;
 * the device copes with both. It must call `done` exactly once, with an error on failure (the
 * guest then sees IOERR), and must not throw.
 */
export interface BlockBackend {
  /** Capacity in 512-byte sectors. */
  readonly sectors: number;
  /** True when writes must fail (the device then offers VIRTIO_BLK_F_RO). */
  readonly readOnly?: boolean;
  submit(request: BlockRequest, done: (error?: Error) => void): void;
}
