// An io_uring instance: the submission and completion rings in kernel pages the program maps
// (laid out as Nanos lays them out: one region for the ring heads, the SQ index array and the
// CQEs, which IORING_OFF_SQ_RING and IORING_OFF_CQ_RING both map, and one for the SQEs), the
// registered buffers, files and eventfd, and the operations still in flight.
import { FileDescription, fail, type Iovec, type StatData } from "@nanots/syscalls";
import type { FrameAllocator } from "../mm/frames.js";
import type { KernelMappable } from "../mm/kernel-mappable.js";
import type { MappableFile } from "../mm/memory-manager.js";
import { anonymousStat } from "../io/pipe.js";
import { Readiness, Ready, type Pollable } from "../io/readiness.js";
import type { EventFd } from "../io/eventfd.js";
import { KernelPages } from "./kernel-pages.js";

/** mmap offset of the SQ ring region (heads, SQ index array, CQEs). */
export const IORING_OFF_SQ_RING = 0;
/** mmap offset of the CQ ring: the same region here. */
export const IORING_OFF_CQ_RING = 0x8000000;
/** mmap offset of the SQE array. */
export const IORING_OFF_SQES = 0x10000000;
/** Feature: one mmap serves the SQ and CQ rings. */
export const IORING_FEAT_SINGLE_MMAP = 1 << 0;
/** Feature: offset -1 reads and writes at the file position. */
export const IORING_FEAT_RW_CUR_POS = 1 << 3;
/** Bytes of struct io_uring_sqe. */
export const SQE_SIZE = 64;
/** Bytes of struct io_uring_cqe. */
export const CQE_SIZE = 16;

/** struct io_rings (Nanos's layout): the u32 fields' offsets. */
export const RingField = {
  sqHead: 0,
  sqTail: 4,
  sqMask: 8,
  sqEntries: 12,
  sqFlags: 16,
  sqDropped: 20,
  cqHead: 24,
  cqTail: 28,
  cqMask: 32,
  cqEntries: 36,
  cqOverflow: 40,
} as const;
const RINGS_SIZE = 48;
const PAGE = 4096;
const pageUp = (n: number): number => Math.ceil(n / PAGE) * PAGE;

/** An operation that completes later: cancelled by POLL_REMOVE/TIMEOUT_REMOVE or at close. */
export interface PendingOp {
  readonly userData: bigint;
  readonly kind: "poll" | "timeout" | "io";
  cancel(): void;
}

/** An io_uring instance (the file description io_uring_setup returns). */
export class IoUring extends FileDescription implements Pollable, KernelMappable {
  readonly readiness = new Readiness();
  /** Ring heads, SQ index array and CQEs. */
  readonly rings: KernelPages;
  /** The SQE array. */
  readonly sqes: KernelPages;
  readonly sqArray = RINGS_SIZE;
  readonly cqes: number;
  /** The next SQ entry the kernel takes (the program's copy of the head is advisory). */
  private sqHead = 0;
  buffers: Iovec[] | undefined;
  files: Array<FileDescription | undefined> | undefined;
  eventfd: EventFd | undefined;
  eventfdAsyncOnly = false;
  readonly pending = new Set<PendingOp>();
  /** Watchers of completions (IORING_OP_TIMEOUT with a count). */
  readonly onComplete = new Set<() => void>();

  /** Whether the program mapped a region: its frames must then outlive the ring. */
  private mapped = false;

  constructor(
    readonly sqEntries: number,
    readonly cqEntries: number,
    ram: Uint8Array,
    private readonly frames: FrameAllocator,
  ) {
    super(2, "anon_inode:[io_uring]");
    this.cqes = RINGS_SIZE + Math.ceil((sqEntries * 4) / 8) * 8;
    this.rings = new KernelPages(ram, frames, pageUp(this.cqes + cqEntries * CQE_SIZE));
    this.sqes = new KernelPages(ram, frames, pageUp(sqEntries * SQE_SIZE));
    this.rings.setU32(RingField.sqMask, sqEntries - 1);
    this.rings.setU32(RingField.sqEntries, sqEntries);
    this.rings.setU32(RingField.cqMask, cqEntries - 1);
    this.rings.setU32(RingField.cqEntries, cqEntries);
  }

  /** mmap of one of the regions, as Linux checks it. */
  kernelMapping(offset: number, length: number, prot: number): MappableFile | number {
    const EINVAL = -22;
    const EACCES = -13;
    // Linux looks only at the offset's top bits (IORING_OFF_MMAP_MASK).
    const kind = offset & 0xf8000000;
    let region: KernelPages;
    if (kind === IORING_OFF_SQ_RING || kind === IORING_OFF_CQ_RING) region = this.rings;
    else if (kind === IORING_OFF_SQES) region = this.sqes;
    else return EINVAL;
    if (length > region.size) return EINVAL;
    if ((prot & 4) !== 0) return EACCES; // PROT_EXEC
    this.mapped = true;
    return region.mapping(this.path, 0);
  }

  /** Completions the program has not consumed. */
  get cqReady(): number {
    return (this.rings.u32(RingField.cqTail) - this.rings.u32(RingField.cqHead)) >>> 0;
  }

  /**
   * Posts a completion (a full CQ counts an overflow, as Nanos does), then tells the waiters.
   * `counted` is false for a timeout's own completion, which other timeouts do not count.
   */
  post(userData: bigint, res: number, async: boolean, counted = true): void {
    const tail = this.rings.u32(RingField.cqTail);
    if (this.cqReady < this.cqEntries) {
      const cqe = new DataView(new ArrayBuffer(CQE_SIZE));
      cqe.setBigUint64(0, userData, true);
      cqe.setInt32(8, res, true);
      this.rings.write(this.cqes + (tail & (this.cqEntries - 1)) * CQE_SIZE, new Uint8Array(cqe.buffer));
      this.rings.setU32(RingField.cqTail, tail + 1);
    } else this.rings.setU32(RingField.cqOverflow, this.rings.u32(RingField.cqOverflow) + 1);
    if (this.eventfd !== undefined && (async || !this.eventfdAsyncOnly)) this.eventfd.signal(1n);
    if (counted) for (const watcher of [...this.onComplete]) watcher();
    this.readiness.notify(Ready.IN | Ready.RDNORM);
  }

  /** The next submission queue entry, or undefined when the program has queued none. */
  nextSqe(): Uint8Array | undefined {
    for (;;) {
      const tail = this.rings.u32(RingField.sqTail);
      if (this.sqHead === tail) return undefined;
      const index = this.rings.u32(this.sqArray + (this.sqHead & (this.sqEntries - 1)) * 4);
      this.sqHead = (this.sqHead + 1) >>> 0;
      this.rings.setU32(RingField.sqHead, this.sqHead);
      if (index < this.sqEntries) return this.sqes.read(index * SQE_SIZE, SQE_SIZE);
      // An index out of range is dropped and counted, as Linux does.
      this.rings.setU32(RingField.sqDropped, this.rings.u32(RingField.sqDropped) + 1);
    }
  }

  /** A registered file by index (IOSQE_FIXED_FILE). */
  fixedFile(index: number): FileDescription {
    const f = this.files?.[index];
    if (f === undefined) fail("EBADF", "no registered file at that index");
    return f;
  }

  poll(): number {
    const queued = (this.rings.u32(RingField.sqTail) - this.sqHead) >>> 0;
    return (this.cqReady > 0 ? Ready.IN | Ready.RDNORM : 0) | (queued < this.sqEntries ? Ready.OUT | Ready.WRNORM : 0);
  }

  protected override seekable(): boolean {
    return false;
  }

  /** An anonymous inode; rdev is set because the syscall layer maps only files and devices. */
  stat(): StatData {
    return { ...anonymousStat(0o600), rdev: 1 };
  }

  protected override release(): void {
    for (const op of [...this.pending]) op.cancel();
    this.pending.clear();
    this.onComplete.clear();
    // Mapped ring pages stay with the address space (no page reference counts yet).
    if (!this.mapped) {
      this.rings.free(this.frames);
      this.sqes.free(this.frames);
    }
  }
}
