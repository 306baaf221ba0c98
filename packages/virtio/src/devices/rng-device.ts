import { segmentViews, totalLength } from "../descriptor-chain.js";
import type { DeviceContext, VirtioDeviceModel } from "../device-model.js";
import { DeviceId } from "../virtio-constants.js";
import { webCryptoEntropy, type EntropySource } from "./entropy-source.js";

/** How a {@link VirtioRngDevice} is set up. */
export interface VirtioRngOptions {
  /** Where the bytes come from (default: Web Crypto). */
  readonly source?: EntropySource;
  /** Largest queue size offered (default 64). */
  readonly queueSize?: number;
}

/**
 * A virtio-rng (entropy) device: one request queue whose device-writable buffers it fills from a
 * host CSPRNG, completing each with the number of bytes written. It has no features and no
 * configuration space.
 */
export class VirtioRngDevice implements VirtioDeviceModel {
  readonly deviceId = DeviceId.ENTROPY;
  readonly features = 0n;
  readonly queueSizes: readonly number[];
  private readonly source: EntropySource;
  private context: DeviceContext | undefined;

  /** An entropy device over `options.source` (Web Crypto by default). */
  constructor(options: VirtioRngOptions = {}) {
    this.source = options.source ?? webCryptoEntropy;
    this.queueSizes = [options.queueSize ?? 64];
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
      for (const view of segmentViews(context.memory, chain.writable)) this.source.fill(view);
      queue.push(chain.head, totalLength(chain.writable));
    }
    context.usedBuffers(index);
  }
}
