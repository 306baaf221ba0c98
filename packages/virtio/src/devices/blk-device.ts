import { gatherFrom, segmentViews, sliceSegments, totalLength, type DescriptorChain, type Segment } from "../descriptor-chain.js";
import type { DeviceContext, VirtioDeviceModel } from "../device-model.js";
import type { DeviceQueue } from "../device-queue.js";
import type { GuestMemory } from "../guest-memory.js";
import { DeviceId, featureMask, hasFeature, TWO_32 } from "../virtio-constants.js";
import { VirtioError } from "../virtio-error.js";
import type { BlockBackend, BlockRequest } from "./block-backend.js";
import {
  BLK_CONFIG_SIZE, BLK_HEADER_SIZE, BLK_ID_BYTES, BlkConfig, BlkFeatureBit, BlkRequestType, BlkStatus, SECTOR_SIZE,
} from "./blk-constants.js";

/** How a {@link VirtioBlkDevice} is set up. */
export interface VirtioBlkOptions {
  /** The storage served. */
  readonly backend: BlockBackend;
  /** Serial returned by GET_ID (at most 20 bytes of UTF-8). */
  readonly id?: string;
  /** Largest queue size offered (default 256). */
  readonly queueSize?: number;
  /** Called when the backend fails a request (the guest sees IOERR). */
  readonly onBackendError?: (error: Error, request: BlockRequest) => void;
}

const encoder = new TextEncoder();

/**
 * A virtio-blk device (one request queue) over a {@link BlockBackend}. It offers SEG_MAX
 * (queue size − 2), BLK_SIZE (512), FLUSH, CONFIG_WCE and, for read-only backends, RO. Every
 * request is validated: sector range within capacity, data a multiple of 512 bytes, no writes
 * to a read-only disk (all IOERR), unknown types UNSUPP. Requests run in parallel; completions
 * from one notify raise one interrupt.
 */
export class VirtioBlkDevice implements VirtioDeviceModel {
  readonly deviceId = DeviceId.BLOCK;
  readonly features: bigint;
  readonly queueSizes: readonly number[];
  private readonly backend: BlockBackend;
  private readonly options: VirtioBlkOptions;
  private readonly serial: Uint8Array;
  private context: DeviceContext | undefined;
  /** Bumped by reset so that late completions of an earlier life are dropped. */
  private epoch = 0;
  private writeback = 1;
  private inBatch = false;

  /** @throws VirtioError (`driver`) when the serial is longer than 20 bytes. */
  constructor(options: VirtioBlkOptions) {
    this.options = options;
    this.backend = options.backend;
    const queueSize = options.queueSize ?? 256;
    this.queueSizes = [queueSize];
    this.serial = encoder.encode(options.id ?? "");
    if (this.serial.length > BLK_ID_BYTES) throw new VirtioError("driver", `block device id "${options.id}" is longer than 20 bytes`);
    this.features = featureMask(BlkFeatureBit.SEG_MAX) | featureMask(BlkFeatureBit.BLK_SIZE)
      | featureMask(BlkFeatureBit.FLUSH) | featureMask(BlkFeatureBit.CONFIG_WCE)
      | (this.backend.readOnly === true ? featureMask(BlkFeatureBit.RO) : 0n);
  }

  /** True while writes are cached until FLUSH; false (writethrough) flushes after each write. */
  get writebackCache(): boolean {
    return this.writeback === 1;
  }

  readConfig(): Uint8Array {
    const config = new Uint8Array(BLK_CONFIG_SIZE);
    const view = new DataView(config.buffer);
    const sectors = this.backend.sectors;
    view.setUint32(BlkConfig.CAPACITY, sectors % TWO_32, true);
    view.setUint32(BlkConfig.CAPACITY + 4, Math.floor(sectors / TWO_32), true);
    view.setUint32(BlkConfig.SEG_MAX, Math.max(1, this.queueSizes[0]! - 2), true);
    view.setUint32(BlkConfig.BLK_SIZE, SECTOR_SIZE, true);
    config[BlkConfig.WRITEBACK] = this.writeback;
    view.setUint16(BlkConfig.NUM_QUEUES, 1, true);
    return config;
  }

  writeConfig(offset: number, size: number, value: number): void {
    // Only `writeback` is writable, and only once CONFIG_WCE was negotiated.
    if (offset === BlkConfig.WRITEBACK && size === 1 && this.context !== undefined
      && hasFeature(this.context.features, BlkFeatureBit.CONFIG_WCE)) {
      this.writeback = value === 0 ? 0 : 1;
    }
  }

  start(context: DeviceContext): void {
    this.context = context;
  }

  reset(): void {
    this.epoch++;
    this.context = undefined;
    this.writeback = 1;
  }

  notify(index: number): void {
    const context = this.context;
    const queue = context?.queue(index);
    if (context === undefined || queue === undefined || index !== 0) return;
    this.inBatch = true;
    try {
      for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) this.handle(context, queue, chain);
    } finally {
      this.inBatch = false;
      context.usedBuffers(0);
    }
  }

  private handle(context: DeviceContext, queue: DeviceQueue, chain: DescriptorChain): void {
    const memory = context.memory;
    const writableLength = totalLength(chain.writable);
    if (writableLength === 0) {
      queue.push(chain.head, 0);
      context.fail(new VirtioError("bad-request", `virtio-blk request ${chain.head} has no device-writable status byte`));
      return;
    }
    const statusAt = sliceSegments(chain.writable, writableLength - 1, 1)[0]!.addr;
    const finish = this.completer(context, queue, chain.head, statusAt);
    const readableLength = totalLength(chain.readable);
    if (readableLength < BLK_HEADER_SIZE) return finish(BlkStatus.IOERR, 1);
    const { type, sector } = readHeader(memory, chain.readable);
    switch (type) {
      case BlkRequestType.IN: {
        const data = sliceSegments(chain.writable, 0, writableLength - 1);
        return this.transfer(memory, "read", sector, data, finish);
      }
      case BlkRequestType.OUT: {
        if (this.backend.readOnly === true) return finish(BlkStatus.IOERR, 1);
        const data = sliceSegments(chain.readable, BLK_HEADER_SIZE, readableLength - BLK_HEADER_SIZE);
        return this.transfer(memory, "write", sector, data, finish);
      }
      case BlkRequestType.FLUSH:
        return this.submit({ op: "flush", sector: 0, buffers: [] }, (ok) => finish(ok ? BlkStatus.OK : BlkStatus.IOERR, 1));
      case BlkRequestType.GET_ID: {
        const id = new Uint8Array(BLK_ID_BYTES);
        id.set(this.serial);
        const room = Math.min(BLK_ID_BYTES, writableLength - 1);
        let written = 0;
        for (const part of sliceSegments(chain.writable, 0, room)) {
          memory.bytes(part.addr, part.len).set(id.subarray(written, written + part.len));
          written += part.len;
        }
        return finish(BlkStatus.OK, room + 1);
      }
      default:
        return finish(BlkStatus.UNSUPP, 1);
    }
  }

  private transfer(
    memory: GuestMemory, op: "read" | "write", sector: number,
    data: readonly Segment[], finish: (status: number, len: number) => void,
  ): void {
    const bytes = totalLength(data);
    if (bytes % SECTOR_SIZE !== 0 || sector + bytes / SECTOR_SIZE > this.backend.sectors) return finish(BlkStatus.IOERR, 1);
    const request: BlockRequest = { op, sector, buffers: segmentViews(memory, data) };
    const written = op === "read" ? bytes + 1 : 1;
    this.submit(request, (ok) => {
      if (!ok || op === "read" || this.writeback === 1) return finish(ok ? BlkStatus.OK : BlkStatus.IOERR, ok ? written : 1);
      // Writethrough: the write is complete only once it is on stable storage.
      this.submit({ op: "flush", sector: 0, buffers: [] }, (flushed) => finish(flushed ? BlkStatus.OK : BlkStatus.IOERR, 1));
    });
  }

  /** Submits to the backend, turning a throw or an error into `ok = false` and a report. */
  private submit(request: BlockRequest, then: (ok: boolean) => void): void {
    let called = false;
    const done = (error?: Error): void => {
      if (called) return; // a backend that completes twice must not complete twice to the guest
      called = true;
      if (error !== undefined) this.options.onBackendError?.(error, request);
      then(error === undefined);
    };
    try {
      this.backend.submit(request, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The completion of one request: writes the status byte and returns the chain. */
  private completer(context: DeviceContext, queue: DeviceQueue, head: number, statusAt: number) {
    const epoch = this.epoch;
    return (status: number, len: number): void => {
      if (epoch !== this.epoch) return; // the device was reset meanwhile
      context.memory.write8(statusAt, status);
      queue.push(head, len);
      if (!this.inBatch) context.usedBuffers(0);
    };
  }
}

/** The request header {type, sector}; the common case of a header in one segment reads in place. */
function readHeader(memory: GuestMemory, readable: readonly Segment[]): { type: number; sector: number } {
  const first = readable[0]!;
  if (first.len >= BLK_HEADER_SIZE) return { type: memory.read32(first.addr), sector: memory.read64(first.addr + 8) };
  const header = new Uint8Array(BLK_HEADER_SIZE);
  gatherFrom(memory, readable, 0, header);
  const view = new DataView(header.buffer);
  return { type: view.getUint32(0, true), sector: view.getUint32(8, true) + view.getUint32(12, true) * TWO_32 };
}
