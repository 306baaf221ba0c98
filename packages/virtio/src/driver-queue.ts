import { hex, type GuestMemory } from "./guest-memory.js";
import { needEvent } from "./need-event.js";
import { isValidQueueSize, type QueueAddresses } from "./ring-layout.js";
import { AVAIL_F_NO_INTERRUPT, DESC_SIZE, DescFlag, USED_F_NO_NOTIFY } from "./virtio-constants.js";
import { VirtioError } from "./virtio-error.js";

/** One buffer of a request, as the driver submits it. */
export interface DriverSegment {
  /** Guest-physical address. */
  readonly addr: number;
  /** Length in bytes (below 2^32). */
  readonly len: number;
  /** True when the device writes into it (the WRITE flag). */
  readonly writable: boolean;
}

/** Called once per request with the number of bytes the device wrote (`used.len`). */
export type Completion = (usedLen: number) => void;

/** Where the driver may build indirect tables: one table of `maxSegments` entries per descriptor. */
export interface IndirectArea {
  /** Guest-physical address of `size × maxSegments × 16` bytes, 16-byte aligned. */
  readonly addr: number;
  /** Largest request (in segments) that goes through an indirect table. */
  readonly maxSegments: number;
}

/** How a {@link DriverQueue} is set up. */
export interface DriverQueueOptions {
  readonly memory: GuestMemory;
  /** Number of entries, a power of two up to 32768. */
  readonly size: number;
  readonly addresses: QueueAddresses;
  /** VIRTIO_F_EVENT_IDX was negotiated. */
  readonly eventIdx?: boolean;
  /** VIRTIO_F_INDIRECT_DESC was negotiated and this area holds the tables. */
  readonly indirect?: IndirectArea;
}

interface Waiting {
  readonly segments: readonly DriverSegment[];
  readonly done: Completion;
}

/**
 * The driver half of a split virtqueue, as Nanos's virtqueue.c shapes it: a request is a list of
 * segments plus a completion; descriptors come from a free list; requests that do not fit wait
 * in FIFO order and enter the ring as completions free descriptors. Multi-segment requests use
 * one indirect descriptor when an {@link IndirectArea} is given.
 */
export class DriverQueue {
  /** Number of entries. */
  readonly size: number;
  private readonly memory: GuestMemory;
  private readonly mask: number;
  private readonly addresses: QueueAddresses;
  private readonly eventIdx: boolean;
  private readonly indirect: IndirectArea | undefined;
  /** Host-side shadow of the descriptor `next` links, so a device cannot corrupt the free list. */
  private readonly nextDesc: Uint16Array;
  private readonly chainLength: Uint16Array;
  private readonly completions: (Completion | undefined)[];
  private readonly waiting: Waiting[] = [];
  private freeHead = 0;
  private freeCount: number;
  private availIdx = 0;
  private lastUsed = 0;
  private kickedAvail = 0;
  private interruptsOn = true;

  /** Initialises the rings in guest memory; call before the device sees the queue. */
  constructor(options: DriverQueueOptions) {
    const { memory, size, addresses } = options;
    if (!isValidQueueSize(size)) throw new VirtioError("driver", `queue size ${size} is not a power of two from 1 to 32768`);
    this.memory = memory;
    this.size = size;
    this.mask = size - 1;
    this.addresses = addresses;
    this.eventIdx = options.eventIdx === true;
    this.indirect = options.indirect;
    if (this.indirect !== undefined && !(this.indirect.maxSegments >= 2)) {
      throw new VirtioError("driver", `indirect tables need room for at least 2 segments, got ${this.indirect.maxSegments}`);
    }
    this.nextDesc = new Uint16Array(size);
    for (let i = 0; i < size; i++) this.nextDesc[i] = i + 1;
    this.chainLength = new Uint16Array(size);
    this.completions = new Array<Completion | undefined>(size).fill(undefined);
    this.freeCount = size;
    memory.write16(addresses.avail, 0);
    memory.write16(addresses.avail + 2, 0);
    if (this.eventIdx) memory.write16(addresses.avail + 4 + 2 * size, 0);
  }

  /** Descriptors not in use. */
  get freeDescriptors(): number {
    return this.freeCount;
  }

  /** Requests waiting for descriptors. */
  get waitingRequests(): number {
    return this.waiting.length;
  }

  /** Requests in the ring that the device has not completed. */
  get inFlight(): number {
    let count = 0;
    for (const done of this.completions) if (done !== undefined) count++;
    return count;
  }

  /**
   * Queues a request: device-readable segments first, then device-writable ones. It enters the
   * ring now if descriptors are free, else when completions free them. Call {@link kickNeeded}
   * afterwards to learn whether to notify the device.
   * @throws VirtioError (`driver`) for an empty request, a readable segment after a writable one,
   *   a range outside guest memory, or a request that can never fit the queue.
   */
  submit(segments: readonly DriverSegment[], done: Completion): void {
    this.validate(segments);
    if (this.waiting.length > 0 || !this.place(segments, done)) this.waiting.push({ segments, done });
  }

  /**
   * Whether the device must be notified about the requests made available since the last call:
   * honours `avail_event` (EVENT_IDX) or the device's NO_NOTIFY flag.
   */
  kickNeeded(): boolean {
    const old = this.kickedAvail;
    this.kickedAvail = this.availIdx;
    if (old === this.availIdx) return false;
    const used = this.addresses.used;
    if (this.eventIdx) return needEvent(this.memory.read16(used + 4 + 8 * this.size), this.availIdx, old);
    return (this.memory.read16(used) & USED_F_NO_NOTIFY) === 0;
  }

  /**
   * Processes the used ring: frees each completed chain, moves waiting requests into the ring,
   * and calls the completion. Returns the number of completions. Waiting requests that entered
   * the ring need a notification: call {@link kickNeeded} afterwards.
   * @throws VirtioError (`driver`) when the device returns an id that is not in flight.
   */
  reap(): number {
    const { memory, addresses } = this;
    let count = 0;
    while (this.lastUsed !== memory.read16(addresses.used + 2)) {
      const slot = addresses.used + 4 + 8 * (this.lastUsed & this.mask);
      const head = memory.read32(slot);
      const len = memory.read32(slot + 4);
      const done = head < this.size ? this.completions[head] : undefined;
      if (done === undefined) {
        throw new VirtioError("driver", `device returned descriptor ${head} in used slot ${this.lastUsed}, but it is not in flight`);
      }
      this.lastUsed = (this.lastUsed + 1) & 0xffff;
      this.completions[head] = undefined;
      this.release(head);
      this.fillFromWaiting();
      count++;
      done(len);
    }
    if (this.eventIdx && this.interruptsOn) memory.write16(addresses.avail + 4 + 2 * this.size, this.lastUsed);
    return count;
  }

  /**
   * Turns used-buffer interrupts on or off (NO_INTERRUPT flag, or with EVENT_IDX by parking
   * `used_event` just behind the used index). They are hints: a device may still interrupt.
   */
  setInterrupts(enabled: boolean): void {
    this.interruptsOn = enabled;
    const avail = this.addresses.avail;
    if (this.eventIdx) {
      // An index already passed silences the device until the 16-bit wrap.
      this.memory.write16(avail + 4 + 2 * this.size, enabled ? this.lastUsed : (this.lastUsed - 1) & 0xffff);
    } else {
      this.memory.write16(avail, enabled ? 0 : AVAIL_F_NO_INTERRUPT);
    }
  }

  /**
   * With EVENT_IDX: asks for the next interrupt only once `count` more requests complete
   * (moves `used_event` to `lastUsed + count - 1`).
   */
  interruptAfter(count: number): void {
    if (!this.eventIdx) throw new VirtioError("driver", "interruptAfter needs VIRTIO_F_EVENT_IDX");
    if (!(Number.isInteger(count) && count >= 1 && count <= 0x8000)) {
      throw new VirtioError("driver", `interruptAfter(${count}): count must be an integer from 1 to 32768`);
    }
    this.memory.write16(this.addresses.avail + 4 + 2 * this.size, (this.lastUsed + count - 1) & 0xffff);
  }

  private validate(segments: readonly DriverSegment[]): void {
    if (segments.length === 0) throw new VirtioError("driver", "a request needs at least one segment");
    let sawWritable = false;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (!(Number.isInteger(segment.len) && segment.len >= 0 && segment.len <= 0xffffffff)) {
        throw new VirtioError("driver", `segment ${i}: length ${segment.len} is not a u32`);
      }
      if (!this.memory.contains(segment.addr, segment.len)) {
        throw new VirtioError("driver", `segment ${i}: [0x${hex(segment.addr)}, +${segment.len}) is outside guest memory`);
      }
      if (segment.writable) sawWritable = true;
      else if (sawWritable) throw new VirtioError("driver", `segment ${i}: device-readable segments must come before device-writable ones`);
    }
    if (segments.length > this.size && !this.fitsIndirect(segments.length)) {
      throw new VirtioError("driver", `a request of ${segments.length} segments can never fit a queue of ${this.size}`);
    }
  }

  private fitsIndirect(count: number): boolean {
    return this.indirect !== undefined && count > 1 && count <= this.indirect.maxSegments && count <= this.size;
  }

  private place(segments: readonly DriverSegment[], done: Completion): boolean {
    const indirect = this.fitsIndirect(segments.length);
    const needed = indirect ? 1 : segments.length;
    if (needed > this.freeCount) return false;
    const { memory } = this;
    const head = this.freeHead;
    if (indirect) {
      const table = this.indirect!.addr + head * this.indirect!.maxSegments * DESC_SIZE;
      for (let i = 0; i < segments.length; i++) writeDesc(memory, table + DESC_SIZE * i, segments[i]!, i + 1 < segments.length, i + 1);
      memory.write64(this.addresses.desc + DESC_SIZE * head, table);
      memory.write32(this.addresses.desc + DESC_SIZE * head + 8, segments.length * DESC_SIZE);
      memory.write16(this.addresses.desc + DESC_SIZE * head + 12, DescFlag.INDIRECT);
      this.freeHead = this.nextDesc[head]!;
    } else {
      let index = head;
      for (let i = 0; i < segments.length; i++) {
        const more = i + 1 < segments.length;
        writeDesc(memory, this.addresses.desc + DESC_SIZE * index, segments[i]!, more, this.nextDesc[index]!);
        if (more) index = this.nextDesc[index]!;
      }
      this.freeHead = this.nextDesc[index]!;
    }
    this.freeCount -= needed;
    this.chainLength[head] = needed;
    this.completions[head] = done;
    memory.write16(this.addresses.avail + 4 + 2 * (this.availIdx & this.mask), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    memory.write16(this.addresses.avail + 2, this.availIdx);
    return true;
  }

  private release(head: number): void {
    let tail = head;
    for (let i = 1; i < this.chainLength[head]!; i++) tail = this.nextDesc[tail]!;
    this.nextDesc[tail] = this.freeHead;
    this.freeHead = head;
    this.freeCount += this.chainLength[head]!;
  }

  private fillFromWaiting(): void {
    while (this.waiting.length > 0 && this.place(this.waiting[0]!.segments, this.waiting[0]!.done)) this.waiting.shift();
  }
}

function writeDesc(memory: GuestMemory, at: number, segment: DriverSegment, more: boolean, next: number): void {
  memory.write64(at, segment.addr);
  memory.write32(at + 8, segment.len);
  memory.write16(at + 12, (more ? DescFlag.NEXT : 0) | (segment.writable ? DescFlag.WRITE : 0));
  memory.write16(at + 14, more ? next : 0);
}
