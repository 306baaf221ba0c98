import { segmentViews, sliceSegments } from "../descriptor-chain.js";
import type { DeviceContext, VirtioDeviceModel } from "../device-model.js";
import { DeviceId } from "../virtio-constants.js";
import { webCryptoEntropy, type EntropySource } from "./entropy-source.js";

/** How a {@link VirtioRngDevice} is set up. */
export interface VirtioRngOptions {
  /** Where the bytes come from (default: Web Crypto). */
  readonly source?: EntropySource;
  /** Largest queue size offered (default 64). */
  readonly queueSize?: number;
  /**
   * Most bytes served per request (default 65536). A chain can name the same guest memory
   * thousands of times; the cap keeps one request from costing terabytes of randomness.
   */
  readonly maxBytesPerRequest?: number;
}

/**
 * A virtio-rng (entropy) device: one request queue whose device-writable buffers it fills from a
 * host CSPRNG (up to `maxBytesPerRequest`), completing each with the number of bytes written.
 * It has no features and no configuration space.
 */
export class VirtioRngDevice implements VirtioDeviceModel {
  readonly deviceId = DeviceId.ENTROPY;
  readonly features = 0n;
  readonly queueSizes: readonly number[];
  private readonly source: EntropySource;
  private readonly maxBytes: number;
  private context: DeviceContext | undefined;

  /** An entropy device over `options.source` (Web Crypto by default). */
  constructor(options: VirtioRngOptions = {}) {
    this.source = options.source ?? webCryptoEntropy;
    this.queueSizes = [options.queueSize ?? 64];
    this.maxBytes = options.maxBytesPerRequest ?? 65536;
  }

  readConfig(): Uint8Array {
    return new Uint8Array(0);
  }

  start(context: DeviceContext): void {
    this.context = context;
  }

  reset(): void {
    this.context = undefined;
  }

  notify(index: number): void {
    const context = this.context;
    const queue = context?.queue(index);
    if (context === undefined || queue === undefined) return;
    for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) {
      let written = 0;
      for (const view of segmentViews(context.memory, sliceSegments(chain.writable, 0, this.maxBytes))) {
        this.source.fill(view);
        written += view.length;
      }
      queue.push(chain.head, written);
    }
    context.usedBuffers(index);
  }
}
