import type { BlockDevice, SectorBuffers } from "./block-device.js";

/** What {@link ObservedBlockDevice} reports. */
export interface BlockDeviceObserver {
  /** After each write reached the inner device. */
  onWrite?(sector: number, source: SectorBuffers): void;
  /** After each flush of the inner device. */
  onFlush?(): void;
}

/**
 * A device that forwards everything to another and tells an observer about writes and flushes:
 * for tracing I/O, measuring how far an image extends, or journaling writes to replay crashes.
 *
 * @example
 * ```ts
 * let writes = 0;
 * const traced = new ObservedBlockDevice(device, { onWrite: () => writes++ });
 * ```
 */
export class ObservedBlockDevice implements BlockDevice {
  readonly #inner: BlockDevice;
  readonly #observer: BlockDeviceObserver;

  constructor(inner: BlockDevice, observer: BlockDeviceObserver) {
    this.#inner = inner;
    this.#observer = observer;
  }

  /** The inner device's size. */
  get sectorCount(): number {
    return this.#inner.sectorCount;
  }

  /** Reads from the inner device. */
  read(sector: number, target: SectorBuffers): void {
    this.#inner.read(sector, target);
  }

  /** Writes to the inner device, then reports the write. */
  write(sector: number, source: SectorBuffers): void {
    this.#inner.write(sector, source);
    this.#observer.onWrite?.(sector, source);
  }

  /** Flushes the inner device, then reports the flush. */
  flush(): void {
    this.#inner.flush();
    this.#observer.onFlush?.();
  }
}
