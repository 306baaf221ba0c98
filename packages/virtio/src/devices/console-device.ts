import { gatherFrom, scatterInto, totalLength } from "../descriptor-chain.js";
import type { DeviceContext, VirtioDeviceModel } from "../device-model.js";
import { DeviceId, featureMask, hasFeature } from "../virtio-constants.js";

/** virtio-console feature bits. */
export const ConsoleFeatureBit = {
  SIZE: 0,
  MULTIPORT: 1,
  EMERG_WRITE: 2,
} as const;

/** Queue indices of a single-port console. */
export const ConsoleQueue = {
  RECEIVE: 0,
  TRANSMIT: 1,
} as const;

/** How a {@link VirtioConsoleDevice} is set up. */
export interface VirtioConsoleOptions {
  /** Receives every byte the guest writes (transmit queue and emergency writes). */
  readonly output: (bytes: Uint8Array) => void;
  /** Largest size of each queue (default 64). */
  readonly queueSize?: number;
  /** Bytes of host input kept while the guest has no receive buffer posted (default 65536). */
  readonly inputLimit?: number;
  /**
   * Most bytes taken from one transmit chain (default 1 MiB); the rest is dropped and counted.
   * A chain can name the same guest memory thousands of times: this bounds the copy.
   */
  readonly maxTransmit?: number;
  /** Console size reported with VIRTIO_CONSOLE_F_SIZE, when given. */
  readonly size?: { readonly cols: number; readonly rows: number };
}

/**
 * A single-port virtio-console: the guest's transmit queue goes to `output`, host bytes given
 * to {@link input} fill the guest's receive buffers (kept, up to `inputLimit`, until the guest
 * posts some). Offers EMERG_WRITE, and SIZE when a size is given; not MULTIPORT.
 */
export class VirtioConsoleDevice implements VirtioDeviceModel {
  readonly deviceId = DeviceId.CONSOLE;
  readonly features: bigint;
  readonly queueSizes: readonly number[];
  /** Host input bytes dropped because the guest was not reading and the limit was reached. */
  droppedInput = 0;
  /** Guest output bytes dropped because a transmit chain was longer than `maxTransmit`. */
  droppedOutput = 0;
  private readonly options: VirtioConsoleOptions;
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private context: DeviceContext | undefined;

  /** A console whose guest output goes to `options.output`. */
  constructor(options: VirtioConsoleOptions) {
    this.options = options;
    const size = options.queueSize ?? 64;
    this.queueSizes = [size, size];
    this.features = featureMask(ConsoleFeatureBit.EMERG_WRITE) | (options.size === undefined ? 0n : featureMask(ConsoleFeatureBit.SIZE));
  }

  /** Bytes of host input waiting for guest receive buffers. */
  get bufferedInput(): number {
    return this.pendingBytes;
  }

  /** Queues host bytes (copied) for the guest and delivers what fits now. */
  input(bytes: Uint8Array): void {
    const room = (this.options.inputLimit ?? 65536) - this.pendingBytes;
    const kept = bytes.subarray(0, Math.max(0, room));
    this.droppedInput += bytes.length - kept.length;
    if (kept.length > 0) {
      this.pending.push(kept.slice());
      this.pendingBytes += kept.length;
    }
    this.deliver();
  }

  readConfig(): Uint8Array {
    // cols u16, rows u16, max_nr_ports u32, emerg_wr u32
    const config = new Uint8Array(12);
    const view = new DataView(config.buffer);
    view.setUint16(0, this.options.size?.cols ?? 0, true);
    view.setUint16(2, this.options.size?.rows ?? 0, true);
    return config;
  }

  writeConfig(offset: number, _size: number, value: number): void {
    if (offset === 8 && this.context !== undefined && hasFeature(this.context.features, ConsoleFeatureBit.EMERG_WRITE)) {
      this.options.output(Uint8Array.of(value & 0xff));
    }
  }

  start(context: DeviceContext): void {
    this.context = context;
    this.deliver();
  }

  reset(): void {
    this.context = undefined;
  }

  notify(index: number): void {
    if (index === ConsoleQueue.RECEIVE) return this.deliver();
    const context = this.context;
    const queue = context?.queue(ConsoleQueue.TRANSMIT);
    if (context === undefined || queue === undefined || index !== ConsoleQueue.TRANSMIT) return;
    for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) {
      const length = totalLength(chain.readable);
      const bytes = new Uint8Array(Math.min(length, this.options.maxTransmit ?? 1 << 20));
      gatherFrom(context.memory, chain.readable, 0, bytes);
      this.droppedOutput += length - bytes.length;
      queue.push(chain.head, 0);
      if (bytes.length > 0) this.options.output(bytes);
    }
    context.usedBuffers(ConsoleQueue.TRANSMIT);
  }

  private deliver(): void {
    const context = this.context;
    const queue = context?.queue(ConsoleQueue.RECEIVE);
    if (context === undefined || queue === undefined) return;
    let delivered = false;
    while (this.pendingBytes > 0) {
      const chain = queue.pop();
      if (chain === undefined) break;
      let written = 0;
      const room = totalLength(chain.writable);
      while (written < room && this.pending.length > 0) {
        const chunk = this.pending[0]!;
        const n = scatterInto(context.memory, chain.writable, written, chunk.subarray(0, room - written));
        written += n;
        this.pendingBytes -= n;
        if (n === chunk.length) this.pending.shift();
        else this.pending[0] = chunk.subarray(n);
      }
      queue.push(chain.head, written);
      delivered = true;
    }
    if (delivered) context.usedBuffers(ConsoleQueue.RECEIVE);
  }
}
