import type { DeviceContext, VirtioDeviceModel } from "./device-model.js";
import { DeviceQueue } from "./device-queue.js";
import type { GuestMemory } from "./guest-memory.js";
import { InterruptBit, MMIO_MAGIC, MMIO_VERSION, MmioRegister as R, NANOTS_VENDOR_ID, type MmioAccess } from "./mmio-registers.js";
import { DeviceStatus as S, FeatureBit, featureMask, hasFeature, TWO_32 } from "./virtio-constants.js";
import { VirtioError } from "./virtio-error.js";

/** How a {@link VirtioMmioDevice} is wired into a machine. */
export interface VirtioMmioDeviceOptions {
  /** Guest memory the queues live in. */
  readonly memory: GuestMemory;
  /** The device type behind the transport. */
  readonly model: VirtioDeviceModel;
  /**
   * Called when InterruptStatus gains a bit (the interrupt line goes up). The machine should
   * only mark the line pending here and run its handler later, never re-enter the device.
   */
  readonly onInterrupt?: (interruptStatus: number) => void;
  /** Called for every guest error the device survived (malformed chains, handshake misuse…). */
  readonly onError?: (error: VirtioError) => void;
  /**
   * Runs queue work after a QueueNotify write. Default: at once, inside the write. A machine
   * passes its device-phase scheduler (for example `queueMicrotask`) to batch and defer it.
   */
  readonly schedule?: (work: () => void) => void;
  /** VendorID register value. */
  readonly vendorId?: number;
  /** Offer VIRTIO_F_INDIRECT_DESC (default true). */
  readonly offerIndirect?: boolean;
  /** Offer VIRTIO_F_EVENT_IDX (default true). */
  readonly offerEventIdx?: boolean;
}

interface QueueRegisters {
  size: number;
  ready: boolean;
  desc: number;
  driver: number;
  device: number;
  queue: DeviceQueue | undefined;
}

/** Status bits a driver may set; DEVICE_NEEDS_RESET belongs to the device. */
const DRIVER_BITS = S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK | S.DRIVER_OK | S.FAILED;

/**
 * The device side of the virtio-mmio v2 transport: the register file a driver talks to, the
 * status handshake and feature negotiation, queue setup, InterruptStatus/ACK and
 * ConfigGeneration. Every guest value is checked; a misbehaving driver gets DEVICE_NEEDS_RESET
 * and an `onError` report, and the device keeps answering: nothing thrown, nothing hung.
 */
export class VirtioMmioDevice implements MmioAccess {
  /** The device type behind this transport. */
  readonly model: VirtioDeviceModel;
  private readonly memory: GuestMemory;
  private readonly options: VirtioMmioDeviceOptions;
  private readonly offered: bigint;
  private readonly queues: QueueRegisters[];
  private statusBits = 0;
  private interruptBits = 0;
  private generation = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private running = false;
  private readonly rerun = new Set<number>();
  private readonly scheduled = new Set<number>();
  private readonly context: DeviceContext;

  /** Wires `options.model` to guest memory; the device starts in the reset state (status 0). */
  constructor(options: VirtioMmioDeviceOptions) {
    this.options = options;
    this.model = options.model;
    this.memory = options.memory;
    this.offered = options.model.features | featureMask(FeatureBit.VERSION_1)
      | (options.offerIndirect === false ? 0n : featureMask(FeatureBit.INDIRECT_DESC))
      | (options.offerEventIdx === false ? 0n : featureMask(FeatureBit.EVENT_IDX));
    this.queues = options.model.queueSizes.map(() => emptyQueue());
    const transport = this;
    this.context = {
      memory: this.memory,
      get features() {
        return transport.driverFeatures;
      },
      queue: (index) => this.queues[index]?.queue,
      usedBuffers: (index) => this.usedBuffers(index),
      configChanged: () => this.configChanged(),
      fail: (error) => this.fail(error),
    };
  }

  /** The Status register (device status bits). */
  get status(): number {
    return this.statusBits;
  }

  /** The InterruptStatus register. */
  get interruptStatus(): number {
    return this.interruptBits;
  }

  /** The feature bits offered to the driver. */
  get deviceFeatures(): bigint {
    return this.offered;
  }

  /** The negotiated feature bits (meaningful once FEATURES_OK is set). */
  get negotiatedFeatures(): bigint {
    return this.driverFeatures;
  }

  /** A register read; unknown or misaligned control accesses read 0. */
  read(offset: number, size: number): number {
    if (offset >= R.CONFIG) return this.readConfig(offset - R.CONFIG, size);
    if (size !== 4 || offset % 4 !== 0) return this.misuse(`${size}-byte read of control register 0x${offset.toString(16)}`, 0);
    const queue = this.queues[this.queueSel];
    switch (offset) {
      case R.MAGIC_VALUE: return MMIO_MAGIC;
      case R.VERSION: return MMIO_VERSION;
      case R.DEVICE_ID: return this.model.deviceId;
      case R.VENDOR_ID: return this.options.vendorId ?? NANOTS_VENDOR_ID;
      case R.DEVICE_FEATURES:
        return this.deviceFeaturesSel > 1 ? 0 : Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn);
      case R.QUEUE_SIZE_MAX: return this.model.queueSizes[this.queueSel] ?? 0;
      case R.QUEUE_READY: return queue?.ready === true ? 1 : 0;
      case R.INTERRUPT_STATUS: return this.interruptBits;
      case R.STATUS: return this.statusBits;
      case R.SHM_LEN_LOW: case R.SHM_LEN_HIGH: return 0xffffffff; // no shared memory regions
      case R.CONFIG_GENERATION: return this.generation;
      default: return 0;
    }
  }

  /** A register write; writes the spec forbids are reported and ignored. */
  write(offset: number, size: number, value: number): void {
    if (offset >= R.CONFIG) return this.writeConfig(offset - R.CONFIG, size, value);
    if (size !== 4 || offset % 4 !== 0) return this.misuse(`${size}-byte write of control register 0x${offset.toString(16)}`, undefined);
    value >>>= 0;
    switch (offset) {
      case R.DEVICE_FEATURES_SEL: this.deviceFeaturesSel = value; return;
      case R.DRIVER_FEATURES_SEL: this.driverFeaturesSel = value; return;
      case R.DRIVER_FEATURES: return this.writeDriverFeatures(value);
      case R.QUEUE_SEL: this.queueSel = value; return;
      case R.QUEUE_SIZE: return this.writeQueueSize(value);
      case R.QUEUE_DESC_LOW: return this.writeQueueAddress("desc", value, false);
      case R.QUEUE_DESC_HIGH: return this.writeQueueAddress("desc", value, true);
      case R.QUEUE_DRIVER_LOW: return this.writeQueueAddress("driver", value, false);
      case R.QUEUE_DRIVER_HIGH: return this.writeQueueAddress("driver", value, true);
      case R.QUEUE_DEVICE_LOW: return this.writeQueueAddress("device", value, false);
      case R.QUEUE_DEVICE_HIGH: return this.writeQueueAddress("device", value, true);
      case R.QUEUE_READY: return this.writeQueueReady(value);
      case R.QUEUE_NOTIFY: return this.queueNotify(value & 0xffff);
      case R.INTERRUPT_ACK: this.interruptBits &= ~value; return;
      case R.STATUS: return this.writeStatus(value);
      default: return; // read-only or unimplemented registers ignore writes
    }
  }

  private readConfig(offset: number, size: number): number {
    const config = this.safely("readConfig", () => this.model.readConfig(), new Uint8Array(0));
    if (!(size === 1 || size === 2 || size === 4) || offset + size > config.length) return 0;
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + config[offset + i]!;
    return value;
  }

  private writeConfig(offset: number, size: number, value: number): void {
    const config = this.safely("readConfig", () => this.model.readConfig(), new Uint8Array(0));
    if (!(size === 1 || size === 2 || size === 4) || offset + size > config.length) {
      this.misuse(`${size}-byte config write at offset ${offset} (config space is ${config.length} bytes)`, undefined);
      return;
    }
    this.safely("writeConfig", () => this.model.writeConfig?.(offset, size, value >>> 0), undefined);
  }

  private writeStatus(value: number): void {
    if (value === 0) return this.reset();
    const old = this.statusBits;
    const next = value & DRIVER_BITS;
    const problem = (old & DRIVER_BITS & ~next) !== 0 ? "the driver cleared status bits without a reset"
      : (next & S.DRIVER) !== 0 && (next & S.ACKNOWLEDGE) === 0 ? "DRIVER set before ACKNOWLEDGE"
      : (next & S.FEATURES_OK) !== 0 && (next & S.DRIVER) === 0 ? "FEATURES_OK set before DRIVER"
      : (next & S.DRIVER_OK) !== 0 && (old & S.FEATURES_OK) === 0 ? "DRIVER_OK set before FEATURES_OK was accepted"
      : undefined;
    if (problem !== undefined) {
      this.fail(new VirtioError("protocol", `status 0x${old.toString(16)} → 0x${value.toString(16)}: ${problem}`));
      return;
    }
    const added = next & ~old;
    let accepted = next;
    if ((added & S.FEATURES_OK) !== 0 && !this.featuresAcceptable()) accepted &= ~S.FEATURES_OK;
    this.statusBits = accepted | (this.statusBits & S.DEVICE_NEEDS_RESET);
    if ((added & S.DRIVER_OK) !== 0) this.safely("start", () => this.model.start(this.context), undefined);
  }

  private featuresAcceptable(): boolean {
    const features = this.driverFeatures;
    return (features & ~this.offered) === 0n
      && hasFeature(features, FeatureBit.VERSION_1)
      && this.safely("acceptFeatures", () => this.model.acceptFeatures?.(features) ?? true, false);
  }

  private writeDriverFeatures(value: number): void {
    if ((this.statusBits & S.DRIVER) === 0 || (this.statusBits & S.FEATURES_OK) !== 0) {
      this.fail(new VirtioError("protocol", "DriverFeatures written outside the DRIVER…FEATURES_OK window"));
      return;
    }
    if (this.driverFeaturesSel > 1) return;
    const shift = BigInt(32 * this.driverFeaturesSel);
    this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(value) << shift);
  }

  private selectedForSetup(register: string): QueueRegisters | undefined {
    const queue = this.queues[this.queueSel];
    if (queue === undefined) return undefined; // writes to absent queues are ignored
    if (queue.ready) {
      this.fail(new VirtioError("protocol", `queue ${this.queueSel}: ${register} written while the queue is ready`));
      return undefined;
    }
    return queue;
  }

  private writeQueueSize(value: number): void {
    const queue = this.selectedForSetup("QueueSize");
    if (queue !== undefined) queue.size = value;
  }

  private writeQueueAddress(field: "desc" | "driver" | "device", value: number, high: boolean): void {
    const queue = this.selectedForSetup(`the ${field} address`);
    if (queue === undefined) return;
    queue[field] = high ? (queue[field] % TWO_32) + value * TWO_32 : Math.floor(queue[field] / TWO_32) * TWO_32 + value;
  }

  private writeQueueReady(value: number): void {
    const index = this.queueSel;
    const queue = this.queues[index];
    if (queue === undefined) return;
    if ((value & 1) === 0) {
      queue.ready = false;
      queue.queue = undefined;
      return;
    }
    if (queue.ready) return;
    if ((this.statusBits & S.FEATURES_OK) === 0) {
      this.fail(new VirtioError("protocol", `queue ${index}: QueueReady set before FEATURES_OK`));
      return;
    }
    const max = this.model.queueSizes[index]!;
    if (queue.size > max) {
      this.fail(new VirtioError("protocol", `queue ${index}: QueueSize ${queue.size} exceeds QueueSizeMax ${max}`));
      return;
    }
    // DeviceQueue checks the size, alignment and placement of the rings and throws a VirtioError.
    queue.queue = this.safely("queue setup", () => new DeviceQueue({
      memory: this.memory,
      size: queue.size,
      addresses: { desc: queue.desc, avail: queue.driver, used: queue.device },
      eventIdx: hasFeature(this.driverFeatures, FeatureBit.EVENT_IDX),
      indirect: hasFeature(this.driverFeatures, FeatureBit.INDIRECT_DESC),
      index,
      onError: (error) => this.fail(error),
    }), undefined);
    queue.ready = queue.queue !== undefined;
  }

  /** True while the device may touch its queues: DRIVER_OK set and the driver has not given up. */
  private live(): boolean {
    return (this.statusBits & (S.DRIVER_OK | S.FAILED)) === S.DRIVER_OK;
  }

  private queueNotify(index: number): void {
    if (!this.live() || this.queues[index]?.ready !== true) return;
    const schedule = this.options.schedule;
    if (schedule === undefined) return this.runQueue(index);
    // One pending job per queue: notifications that arrive before it runs are batched into it.
    if (this.scheduled.has(index)) return;
    this.scheduled.add(index);
    schedule(() => {
      this.scheduled.delete(index);
      this.runQueue(index);
    });
  }

  /** Runs the model for a notified queue; a notify arriving meanwhile reruns it after. */
  private runQueue(index: number): void {
    if (this.running) {
      this.rerun.add(index);
      return;
    }
    this.running = true;
    try {
      let next: number | undefined = index;
      while (next !== undefined) {
        this.rerun.delete(next);
        if (this.live() && this.queues[next]?.ready === true) {
          const index = next;
          this.safely("notify", () => this.model.notify(index), undefined);
        }
        next = this.rerun.values().next().value;
      }
    } finally {
      this.running = false;
    }
  }

  /** Runs a device-model call; a throw becomes DEVICE_NEEDS_RESET and `fallback`, never an exception. */
  private safely<T>(what: string, call: () => T, fallback: T): T {
    try {
      return call();
    } catch (error) {
      this.fail(error instanceof VirtioError ? error
        : new VirtioError("internal", `device model ${what} threw: ${error instanceof Error ? error.message : String(error)}`));
      return fallback;
    }
  }

  private usedBuffers(index: number): void {
    const queue = this.queues[index]?.queue;
    if (queue !== undefined && queue.takeInterrupt()) this.raise(InterruptBit.USED_BUFFER);
  }

  private configChanged(): void {
    this.generation = (this.generation + 1) >>> 0;
    if ((this.statusBits & S.DRIVER_OK) !== 0) this.raise(InterruptBit.CONFIG_CHANGE);
  }

  private fail(error: VirtioError): void {
    this.options.onError?.(error);
    const wasSet = (this.statusBits & S.DEVICE_NEEDS_RESET) !== 0;
    this.statusBits |= S.DEVICE_NEEDS_RESET;
    if (!wasSet && (this.statusBits & S.DRIVER_OK) !== 0) this.raise(InterruptBit.CONFIG_CHANGE);
  }

  private misuse<T>(what: string, result: T): T {
    this.options.onError?.(new VirtioError("protocol", `${what}: control registers take aligned 32-bit accesses`));
    return result;
  }

  private raise(bit: number): void {
    this.interruptBits |= bit;
    this.options.onInterrupt?.(this.interruptBits);
  }

  private reset(): void {
    this.statusBits = 0;
    this.interruptBits = 0;
    this.driverFeatures = 0n;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.queueSel = 0;
    this.queues.forEach((_, i) => (this.queues[i] = emptyQueue()));
    this.rerun.clear();
    this.safely("reset", () => this.model.reset(), undefined);
  }
}

function emptyQueue(): QueueRegisters {
  return { size: 0, ready: false, desc: 0, driver: 0, device: 0, queue: undefined };
}
