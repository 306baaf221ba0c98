import type { Segment } from "../descriptor-chain.js";
import { DriverQueue, type DriverSegment } from "../driver-queue.js";
import type { GuestMemory } from "../guest-memory.js";
import type { MmioAccess } from "../mmio-registers.js";
import { VirtioMmioDriver } from "../mmio-driver.js";
import { alignUp, layoutQueue, queueFootprint } from "../ring-layout.js";
import { DeviceId, FeatureBit, featureMask, hasFeature } from "../virtio-constants.js";
import { VirtioError } from "../virtio-error.js";
import { BLK_HEADER_SIZE, BLK_ID_BYTES, BlkConfig, BlkFeatureBit, BlkRequestType, BlkStatus, SECTOR_SIZE } from "./blk-constants.js";

/** Called when a block request completes, with its virtio-blk status (0 = OK). */
export type BlkCompletion = (status: number) => void;

/** How a {@link VirtioBlkDriver} attaches to a device. */
export interface VirtioBlkDriverOptions {
  /** The device's registers. */
  readonly regs: MmioAccess;
  /** Guest memory shared with the device. */
  readonly memory: GuestMemory;
  /** Guest-physical base (16-byte aligned) of {@link VirtioBlkDriver.scratchBytes} bytes for rings and headers. */
  readonly scratch: number;
  /** Queue size wanted (default 128, clamped to the device's maximum). */
  readonly queueSize?: number;
  /** Ask for VIRTIO_F_INDIRECT_DESC (default false, as Nanos). */
  readonly indirect?: boolean;
  /** Ask for VIRTIO_F_EVENT_IDX (default false, as Nanos). */
  readonly eventIdx?: boolean;
}

/** Per-request scratch: header (16), GET_ID buffer (20), status byte (1), rounded to 48. */
const SLOT_BYTES = 48;
const ID_OFFSET = BLK_HEADER_SIZE;
const STATUS_OFFSET = BLK_HEADER_SIZE + BLK_ID_BYTES;
const decoder = new TextDecoder();

interface Request {
  readonly type: number;
  readonly sector: number;
  readonly data: readonly DriverSegment[];
  readonly done: (status: number, slot: number) => void;
}

/**
 * A virtio-blk driver as Nanos's virtio_storage.c drives the device: it negotiates SEG_MAX,
 * BLK_SIZE, FLUSH and CONFIG_WCE (turning the write-back cache on when both are there), builds
 * header + data + status chains in guest memory and completes requests from the used ring.
 * Data buffers are guest-physical segments, so the device moves bytes straight to and from them.
 */
export class VirtioBlkDriver {
  /** Capacity in 512-byte sectors. */
  readonly capacity: number;
  /** Most data segments in one request. */
  readonly segMax: number;
  /** True when the device is read-only. */
  readonly readOnly: boolean;
  /** The negotiated feature bits. */
  readonly features: bigint;
  private readonly transport: VirtioMmioDriver;
  private readonly memory: GuestMemory;
  private readonly queue: DriverQueue;
  private readonly slotBase: number;
  private readonly freeSlots: number[];
  private readonly waiting: Request[] = [];

  /** Bytes of scratch memory a driver with `queueSize` entries needs (with indirect tables if asked). */
  static scratchBytes(queueSize: number, indirect = false): number {
    const rings = alignUp(queueFootprint(queueSize), 16);
    return rings + queueSize * SLOT_BYTES + (indirect ? queueSize * queueSize * 16 : 0);
  }

  /**
   * Probes, negotiates and sets up the device, then sets DRIVER_OK.
   * @throws VirtioError (`probe`) when the device is not a usable virtio-blk device.
   */
  constructor(options: VirtioBlkDriverOptions) {
    const transport = new VirtioMmioDriver(options.regs);
    const { deviceId } = transport.probe();
    if (deviceId !== DeviceId.BLOCK) throw new VirtioError("probe", `device ID ${deviceId} is not a block device (2)`);
    const wanted = featureMask(BlkFeatureBit.SEG_MAX) | featureMask(BlkFeatureBit.BLK_SIZE) | featureMask(BlkFeatureBit.FLUSH)
      | featureMask(BlkFeatureBit.CONFIG_WCE) | featureMask(BlkFeatureBit.RO)
      | (options.indirect === true ? featureMask(FeatureBit.INDIRECT_DESC) : 0n)
      | (options.eventIdx === true ? featureMask(FeatureBit.EVENT_IDX) : 0n);
    this.features = transport.negotiate(wanted);
    this.transport = transport;
    this.memory = options.memory;
    this.capacity = transport.readConfig(BlkConfig.CAPACITY, 8);
    const max = transport.queueSizeMax(0);
    if (max === 0) throw new VirtioError("probe", "the block device has no request queue");
    const size = Math.min(options.queueSize ?? 128, max);
    this.segMax = hasFeature(this.features, BlkFeatureBit.SEG_MAX) ? Math.max(1, transport.readConfig(BlkConfig.SEG_MAX, 4)) : 1;
    this.readOnly = hasFeature(this.features, BlkFeatureBit.RO);
    const blkSize = hasFeature(this.features, BlkFeatureBit.BLK_SIZE) ? transport.readConfig(BlkConfig.BLK_SIZE, 4) : SECTOR_SIZE;
    if (blkSize !== SECTOR_SIZE) throw new VirtioError("probe", `blk_size ${blkSize} is not supported; only 512`);
    if (hasFeature(this.features, BlkFeatureBit.CONFIG_WCE) && hasFeature(this.features, BlkFeatureBit.FLUSH)) {
      transport.writeConfig(BlkConfig.WRITEBACK, 1, 1);
    }
    const addresses = layoutQueue(options.scratch, size);
    this.slotBase = options.scratch + alignUp(queueFootprint(size), 16);
    const indirect = hasFeature(this.features, FeatureBit.INDIRECT_DESC)
      ? { addr: this.slotBase + size * SLOT_BYTES, maxSegments: size }
      : undefined;
    this.queue = new DriverQueue({
      memory: options.memory, size, addresses,
      eventIdx: hasFeature(this.features, FeatureBit.EVENT_IDX),
      ...(indirect === undefined ? {} : { indirect }),
    });
    this.freeSlots = Array.from({ length: size }, (_, i) => size - 1 - i);
    transport.setupQueue(0, size, addresses);
    transport.driverOk();
  }

  /**
   * Reads whole sectors from `sector` into the guest buffers `data` (each a multiple of 512
   * bytes; more than {@link segMax} of them are split into several requests).
   * @throws VirtioError (`driver`) for misaligned buffers or sectors outside the disk.
   */
  read(sector: number, data: readonly Segment[], done: BlkCompletion): void {
    this.enqueue(BlkRequestType.IN, sector, data, true, done);
  }

  /** Writes whole sectors at `sector` from the guest buffers `data`; as {@link read}. */
  write(sector: number, data: readonly Segment[], done: BlkCompletion): void {
    this.enqueue(BlkRequestType.OUT, sector, data, false, done);
  }

  /** Makes completed writes durable; completes at once when FLUSH was not negotiated (as Nanos). */
  flush(done: BlkCompletion): void {
    if (!hasFeature(this.features, BlkFeatureBit.FLUSH)) return done(BlkStatus.OK);
    this.start({ type: BlkRequestType.FLUSH, sector: 0, data: [], done });
  }

  /** Asks for the device serial (GET_ID); `id` is empty unless the status is OK. */
  getId(done: (status: number, id: string) => void): void {
    this.start({
      type: BlkRequestType.GET_ID, sector: 0, data: [],
      done: (status, slot) => {
        const bytes = this.memory.bytes(this.slotAddr(slot) + ID_OFFSET, BLK_ID_BYTES);
        const end = bytes.indexOf(0);
        done(status, status === BlkStatus.OK ? decoder.decode(bytes.subarray(0, end < 0 ? BLK_ID_BYTES : end)) : "");
      },
    });
  }

  /** Interrupt handler: acknowledges the interrupt and completes finished requests. */
  handleInterrupt(): number {
    this.transport.acknowledgeInterrupt();
    return this.poll();
  }

  /** Completes finished requests without touching the interrupt registers (polling). */
  poll(): number {
    const count = this.queue.reap();
    // Completions moved waiting requests into the ring: the device must hear about them.
    if (this.queue.kickNeeded()) this.transport.notify(0);
    return count;
  }

  /** Requests the device has not completed yet, plus those waiting for queue room. */
  get outstanding(): number {
    return this.queue.inFlight + this.queue.waitingRequests + this.waiting.length;
  }

  private enqueue(type: number, sector: number, data: readonly Segment[], deviceWrites: boolean, done: BlkCompletion): void {
    if (!deviceWrites && this.readOnly) throw new VirtioError("driver", "write to a read-only block device");
    if (data.length === 0) throw new VirtioError("driver", "a block request needs at least one data segment");
    let bytes = 0;
    for (const segment of data) {
      if (segment.len % SECTOR_SIZE !== 0) throw new VirtioError("driver", `block buffer length ${segment.len} is not a multiple of 512`);
      bytes += segment.len;
    }
    if (!(Number.isInteger(sector) && sector >= 0 && sector + bytes / SECTOR_SIZE <= this.capacity)) {
      throw new VirtioError("driver", `sectors [${sector}, +${bytes / SECTOR_SIZE}) are outside the disk of ${this.capacity} sectors`);
    }
    // As Nanos does: more than seg_max segments become several requests whose completions merge
    // into one, reporting the first failure.
    const parts = Math.ceil(data.length / this.segMax);
    let left = parts;
    let merged: number = BlkStatus.OK;
    const partDone = parts === 1 ? done : (status: number): void => {
      if (merged === BlkStatus.OK) merged = status;
      if (--left === 0) done(merged);
    };
    let at = sector;
    for (let first = 0; first < data.length; first += this.segMax) {
      const segments: DriverSegment[] = [];
      let partBytes = 0;
      for (const segment of data.slice(first, first + this.segMax)) {
        segments.push({ addr: segment.addr, len: segment.len, writable: deviceWrites });
        partBytes += segment.len;
      }
      this.start({ type, sector: at, data: segments, done: partDone });
      at += partBytes / SECTOR_SIZE;
    }
  }

  private start(request: Request): void {
    const slot = this.freeSlots.pop();
    if (slot === undefined) {
      this.waiting.push(request);
      return;
    }
    const at = this.slotAddr(slot);
    this.memory.write32(at, request.type);
    this.memory.write32(at + 4, 0);
    this.memory.write64(at + 8, request.sector);
    this.memory.write8(at + STATUS_OFFSET, 0xff); // a device that never writes it reads as an error
    const segments: DriverSegment[] = [{ addr: at, len: BLK_HEADER_SIZE, writable: false }];
    for (const segment of request.data) segments.push(segment);
    if (request.type === BlkRequestType.GET_ID) segments.push({ addr: at + ID_OFFSET, len: BLK_ID_BYTES, writable: true });
    segments.push({ addr: at + STATUS_OFFSET, len: 1, writable: true });
    this.queue.submit(segments, () => {
      const status = this.memory.read8(at + STATUS_OFFSET);
      request.done(status, slot);
      this.freeSlots.push(slot);
      const next = this.waiting.shift();
      if (next !== undefined) this.start(next);
    });
    if (this.queue.kickNeeded()) this.transport.notify(0);
  }

  private slotAddr(slot: number): number {
    return this.slotBase + slot * SLOT_BYTES;
  }
}
