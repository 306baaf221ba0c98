import { InterruptBit, MMIO_MAGIC, MMIO_VERSION, MmioRegister as R, type MmioAccess } from "./mmio-registers.js";
import type { QueueAddresses } from "./ring-layout.js";
import { DeviceStatus as S, FeatureBit, featureMask, TWO_32 } from "./virtio-constants.js";
import { VirtioError } from "./virtio-error.js";


/**
 * The driver side of the virtio-mmio v2 handshake, over any register access (our own
 * {@link VirtioMmioDevice}, or a real bus): probe, reset, feature negotiation with the FEATURES_OK
 * re-check, queue setup, DRIVER_OK, notifications, interrupt acknowledgement and
 * generation-checked configuration reads.
 */
export class VirtioMmioDriver {
  private readonly regs: MmioAccess;

  /** @param regs the device's register window (our VirtioMmioDevice, or a bus adapter). */
  constructor(regs: MmioAccess) {
    this.regs = regs;
  }

  /**
   * Checks MagicValue and Version and returns the device and vendor IDs.
   * @throws VirtioError (`probe`) when it is not a present virtio-mmio v2 device.
   */
  probe(): { deviceId: number; vendorId: number } {
    const magic = this.regs.read(R.MAGIC_VALUE, 4);
    if (magic !== MMIO_MAGIC) throw new VirtioError("probe", `bad magic 0x${magic.toString(16)}: not a virtio-mmio device`);
    const version = this.regs.read(R.VERSION, 4);
    if (version !== MMIO_VERSION) throw new VirtioError("probe", `virtio-mmio version ${version}; only version 2 (modern) is supported`);
    const deviceId = this.regs.read(R.DEVICE_ID, 4);
    if (deviceId === 0) throw new VirtioError("probe", "device ID 0: no device behind this window");
    return { deviceId, vendorId: this.regs.read(R.VENDOR_ID, 4) };
  }

  /** The Status register. */
  get status(): number {
    return this.regs.read(R.STATUS, 4);
  }

  /** True when the device reported an error it needs a reset to leave (DEVICE_NEEDS_RESET). */
  get needsReset(): boolean {
    return (this.status & S.DEVICE_NEEDS_RESET) !== 0;
  }

  /** Resets the device (status 0). */
  reset(): void {
    this.regs.write(R.STATUS, 4, 0);
  }

  /** The 64-bit feature bits the device offers. */
  deviceFeatures(): bigint {
    this.regs.write(R.DEVICE_FEATURES_SEL, 4, 0);
    const low = this.regs.read(R.DEVICE_FEATURES, 4);
    this.regs.write(R.DEVICE_FEATURES_SEL, 4, 1);
    const high = this.regs.read(R.DEVICE_FEATURES, 4);
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /**
   * Runs reset → ACKNOWLEDGE → DRIVER → feature negotiation → FEATURES_OK and checks that the
   * device kept FEATURES_OK. Returns the negotiated set: `wanted` ∩ offered, plus VERSION_1.
   * @throws VirtioError (`probe`) when the device lacks VERSION_1 or rejects the subset; the
   *   driver then sets FAILED, as the spec asks.
   */
  negotiate(wanted: bigint): bigint {
    this.reset();
    this.setStatus(S.ACKNOWLEDGE);
    this.setStatus(S.ACKNOWLEDGE | S.DRIVER);
    const offered = this.deviceFeatures();
    const version1 = featureMask(FeatureBit.VERSION_1);
    if ((offered & version1) === 0n) {
      this.fail();
      throw new VirtioError("probe", "the device does not offer VIRTIO_F_VERSION_1 (legacy devices are not supported)");
    }
    const chosen = (wanted | version1) & offered;
    this.regs.write(R.DRIVER_FEATURES_SEL, 4, 0);
    this.regs.write(R.DRIVER_FEATURES, 4, Number(chosen & 0xffffffffn));
    this.regs.write(R.DRIVER_FEATURES_SEL, 4, 1);
    this.regs.write(R.DRIVER_FEATURES, 4, Number(chosen >> 32n));
    this.setStatus(S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK);
    if ((this.status & S.FEATURES_OK) === 0) {
      this.fail();
      throw new VirtioError("probe", `the device rejected features 0x${chosen.toString(16)} (FEATURES_OK was cleared)`);
    }
    return chosen;
  }

  /**
   * Sets up queue `index` with at most `size` entries (clamped to QueueSizeMax) at `addresses`
   * and marks it ready. Returns the size used.
   * @throws VirtioError (`probe`) when the queue is absent or already in use, or the device
   *   refused it.
   */
  setupQueue(index: number, size: number, addresses: QueueAddresses): number {
    this.regs.write(R.QUEUE_SEL, 4, index);
    if (this.regs.read(R.QUEUE_READY, 4) !== 0) throw new VirtioError("probe", `queue ${index} is already in use`);
    const max = this.regs.read(R.QUEUE_SIZE_MAX, 4);
    if (max === 0) throw new VirtioError("probe", `queue ${index} does not exist on this device`);
    const used = Math.min(size, max);
    this.regs.write(R.QUEUE_SIZE, 4, used);
    this.write64(R.QUEUE_DESC_LOW, addresses.desc);
    this.write64(R.QUEUE_DRIVER_LOW, addresses.avail);
    this.write64(R.QUEUE_DEVICE_LOW, addresses.used);
    this.regs.write(R.QUEUE_READY, 4, 1);
    if (this.regs.read(R.QUEUE_READY, 4) !== 1) throw new VirtioError("probe", `the device refused queue ${index} (status 0x${this.status.toString(16)})`);
    return used;
  }

  /** Largest size queue `index` accepts (0 when absent). */
  queueSizeMax(index: number): number {
    this.regs.write(R.QUEUE_SEL, 4, index);
    return this.regs.read(R.QUEUE_SIZE_MAX, 4);
  }

  /** Sets DRIVER_OK: the device may now use its queues. */
  driverOk(): void {
    this.setStatus(this.status | S.DRIVER_OK);
  }

  /** Tells the device that queue `index` has new buffers. */
  notify(index: number): void {
    this.regs.write(R.QUEUE_NOTIFY, 4, index);
  }

  /** Reads InterruptStatus, acknowledges those bits and returns them (see {@link InterruptBit}). */
  acknowledgeInterrupt(): number {
    const bits = this.regs.read(R.INTERRUPT_STATUS, 4);
    if (bits !== 0) this.regs.write(R.INTERRUPT_ACK, 4, bits & (InterruptBit.USED_BUFFER | InterruptBit.CONFIG_CHANGE));
    return bits;
  }

  /**
   * Reads `size` bytes (1, 2, 4 or 8) of the device configuration at `offset`, retrying until
   * ConfigGeneration is stable so that multi-word fields are consistent.
   * @throws VirtioError (`probe`) when the generation keeps changing (a broken device).
   */
  readConfig(offset: number, size: 1 | 2 | 4 | 8): number {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const before = this.regs.read(R.CONFIG_GENERATION, 4);
      const value = size === 8
        ? this.regs.read(R.CONFIG + offset, 4) + this.regs.read(R.CONFIG + offset + 4, 4) * TWO_32
        : this.regs.read(R.CONFIG + offset, size);
      if (this.regs.read(R.CONFIG_GENERATION, 4) === before) return value;
    }
    throw new VirtioError("probe", `ConfigGeneration never settled while reading config offset ${offset}`);
  }

  /** Writes `size` bytes (1, 2 or 4) of the device configuration at `offset`. */
  writeConfig(offset: number, size: 1 | 2 | 4, value: number): void {
    this.regs.write(R.CONFIG + offset, size, value);
  }

  private setStatus(value: number): void {
    this.regs.write(R.STATUS, 4, value);
  }

  private fail(): void {
    this.setStatus(this.status | S.FAILED);
  }

  private write64(lowRegister: number, value: number): void {
    this.regs.write(lowRegister, 4, value % TWO_32);
    this.regs.write(lowRegister + 4, 4, Math.floor(value / TWO_32));
  }
}
