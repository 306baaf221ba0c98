import type { DescriptorChain, Segment } from "./descriptor-chain.js";
import { hex, type GuestMemory } from "./guest-memory.js";
import { needEvent } from "./need-event.js";
import { isValidQueueSize, ringPartSizes, type QueueAddresses } from "./ring-layout.js";
import { AVAIL_F_NO_INTERRUPT, DESC_SIZE, DescFlag } from "./virtio-constants.js";
import { VirtioError } from "./virtio-error.js";

/** How a {@link DeviceQueue} is set up. */
export interface DeviceQueueOptions {
  /** Guest memory holding the rings and the buffers. */
  readonly memory: GuestMemory;
  /** Number of entries, a power of two up to 32768. */
  readonly size: number;
  /** Where the driver placed the three ring parts. */
  readonly addresses: QueueAddresses;
  /** VIRTIO_F_EVENT_IDX was negotiated. */
  readonly eventIdx?: boolean;
  /** VIRTIO_F_INDIRECT_DESC was negotiated. */
  readonly indirect?: boolean;
  /** Queue index, for error messages. */
  readonly index?: number;
  /** Called for every malformed chain; the queue has already returned it with length 0. */
  readonly onError?: (error: VirtioError) => void;
}

/**
 * The device half of a split virtqueue. It reads chains the driver made available, validates
 * every guest-provided value (indices, loops, ranges, ordering, indirect tables) and writes
 * completions to the used ring. A malformed chain never reaches the device model: it is returned
 * to the driver with used length 0 and reported through `onError`.
 */
export class DeviceQueue {
  /** Number of entries. */
  readonly size: number;
  private readonly memory: GuestMemory;
  private readonly mask: number;
  private readonly desc: number;
  private readonly avail: number;
  private readonly used: number;
  private readonly eventIdx: boolean;
  private readonly indirect: boolean;
  private readonly label: string;
  private readonly onError: (error: VirtioError) => void;
  /** Free-running index of the next available entry to read. */
  private lastAvail = 0;
  /** Free-running shadow of `used.idx`. */
  private usedIdx = 0;
  /** `usedIdx` when the interrupt decision was last taken. */
  private signalledUsed = 0;
  /** Set once `avail.idx` proved corrupt; the queue then stays silent until reset. */
  private halted = false;

  /**
   * @throws VirtioError (`protocol`) when the size is invalid, or (`out-of-range`) when a ring
   *   part lies outside guest memory or is misaligned.
   */
  constructor(options: DeviceQueueOptions) {
    const { memory, size, addresses } = options;
    this.label = `queue ${options.index ?? 0}`;
    if (!isValidQueueSize(size)) {
      throw new VirtioError("protocol", `${this.label}: size ${size} is not a power of two from 1 to 32768`);
    }
    const parts = ringPartSizes(size);
    checkArea(memory, this.label, "descriptor table", addresses.desc, parts.desc, 16);
    checkArea(memory, this.label, "available ring", addresses.avail, parts.avail, 2);
    checkArea(memory, this.label, "used ring", addresses.used, parts.used, 4);
    this.memory = memory;
    this.size = size;
    this.mask = size - 1;
    this.desc = addresses.desc;
    this.avail = addresses.avail;
    this.used = addresses.used;
    this.eventIdx = options.eventIdx === true;
    this.indirect = options.indirect === true;
    this.onError = options.onError ?? (() => {});
    // The used ring belongs to the device: start it clean.
    memory.write16(this.used, 0);
    memory.write16(this.used + 2, 0);
    if (this.eventIdx) memory.write16(this.used + 4 + 8 * size, 0);
  }

  /** True when the driver has made chains available that {@link pop} has not taken yet. */
  hasAvailable(): boolean {
    return !this.halted && this.memory.read16(this.avail + 2) !== this.lastAvail;
  }

  /**
   * Takes the next valid chain, or `undefined` when none is available. Malformed chains on the
   * way are completed with length 0 and reported. With EVENT_IDX, an empty ring re-arms
   * `avail_event` so the driver's next submission notifies the device.
   */
  pop(): DescriptorChain | undefined {
    const memory = this.memory;
    while (!this.halted) {
      const availIdx = memory.read16(this.avail + 2);
      const pending = (availIdx - this.lastAvail) & 0xffff;
      if (pending === 0) {
        if (this.eventIdx) memory.write16(this.used + 4 + 8 * this.size, this.lastAvail);
        return undefined;
      }
      if (pending > this.size) {
        this.halted = true;
        this.onError(new VirtioError("bad-avail-index",
          `${this.label}: avail.idx jumped from ${this.lastAvail} to ${availIdx}, more than the queue size ${this.size}; queue halted until reset`));
        return undefined;
      }
      const head = memory.read16(this.avail + 4 + 2 * (this.lastAvail & this.mask));
      this.lastAvail = (this.lastAvail + 1) & 0xffff;
      const chain = this.walk(head);
      if (!(chain instanceof VirtioError)) return chain;
      // Give the buffers back so the driver can reclaim them; an out-of-table head has no id to give.
      if (head < this.size) this.push(head, 0);
      this.onError(chain);
    }
    return undefined;
  }

  /** Returns chain `head` to the driver, reporting `len` bytes written into its writable part. */
  push(head: number, len: number): void {
    const slot = this.used + 4 + 8 * (this.usedIdx & this.mask);
    this.memory.write32(slot, head);
    this.memory.write32(slot + 4, len);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.memory.write16(this.used + 2, this.usedIdx);
  }

  /**
   * Decides whether the completions pushed since the last call deserve a used-buffer
   * interrupt, honouring `used_event` (EVENT_IDX) or the NO_INTERRUPT flag.
   */
  takeInterrupt(): boolean {
    const old = this.signalledUsed;
    const now = this.usedIdx;
    this.signalledUsed = now;
    if (old === now) return false;
    if (this.eventIdx) return needEvent(this.memory.read16(this.avail + 4 + 2 * this.size), now, old);
    return (this.memory.read16(this.avail) & AVAIL_F_NO_INTERRUPT) === 0;
  }

  private walk(head: number): DescriptorChain | VirtioError {
    const memory = this.memory;
    if (head >= this.size) {
      return new VirtioError("bad-index", `${this.label}: available ring names head descriptor ${head}, but the queue has ${this.size}`);
    }
    const readable: Segment[] = [];
    const writable: Segment[] = [];
    let table = this.desc;
    let tableSize = this.size;
    let index = head;
    let inIndirect = false;
    // The spec caps a chain at the queue size; counting per table (as QEMU does) bounds loops
    // and keeps a huge indirect table from costing more than a full ring.
    let budget = this.size;
    for (;;) {
      const where = inIndirect ? `indirect descriptor ${index} of chain ${head}` : `descriptor ${index} of chain ${head}`;
      if (budget-- === 0) {
        return new VirtioError("descriptor-loop", `${this.label}: chain ${head} is longer than the queue size ${this.size} (a loop?) at ${where}`);
      }
      const at = table + DESC_SIZE * index;
      const addr = memory.read64(at);
      const len = memory.read32(at + 8);
      const flags = memory.read16(at + 12);
      if ((flags & DescFlag.INDIRECT) !== 0) {
        const problem = !this.indirect ? "INDIRECT_DESC was not negotiated"
          : inIndirect ? "an indirect table may not contain another"
          : (flags & DescFlag.NEXT) !== 0 ? "INDIRECT and NEXT may not both be set"
          : len === 0 || len % DESC_SIZE !== 0 ? `table length ${len} is not a positive multiple of 16`
          : !memory.contains(addr, len) ? `table [0x${hex(addr)}, +${len}) is outside guest memory`
          : undefined;
        if (problem !== undefined) return new VirtioError("bad-indirect", `${this.label}: ${where}: ${problem}`);
        table = addr;
        tableSize = len / DESC_SIZE;
        index = 0;
        inIndirect = true;
        budget = this.size;
        continue;
      }
      if (!memory.contains(addr, len)) {
        return new VirtioError("out-of-range", `${this.label}: ${where}: buffer [0x${hex(addr)}, +${len}) is outside guest memory`);
      }
      if ((flags & DescFlag.WRITE) !== 0) {
        writable.push({ addr, len });
      } else if (writable.length > 0) {
        return new VirtioError("readable-after-writable", `${this.label}: ${where}: a device-readable buffer follows a device-writable one`);
      } else {
        readable.push({ addr, len });
      }
      if ((flags & DescFlag.NEXT) === 0) return { head, readable, writable };
      index = memory.read16(at + 14);
      if (index >= tableSize) {
        return new VirtioError("bad-index", `${this.label}: ${where}: next index ${index} is beyond its table of ${tableSize}`);
      }
    }
  }
}

function checkArea(memory: GuestMemory, label: string, part: string, addr: number, len: number, alignment: number): void {
  if (!Number.isInteger(addr) || addr % alignment !== 0) {
    throw new VirtioError("out-of-range", `${label}: ${part} address 0x${hex(addr)} is not ${alignment}-byte aligned`);
  }
  if (!memory.contains(addr, len)) {
    throw new VirtioError("out-of-range", `${label}: ${part} [0x${hex(addr)}, +${len}) is outside guest memory`);
  }
}
