import type { DeviceQueue } from "./device-queue.js";
import type { GuestMemory } from "./guest-memory.js";
import type { VirtioError } from "./virtio-error.js";

/**
 * What a device type (blk, rng, console…) implements; the transport does the rest: registers,
 * status handshake, feature negotiation, queue setup and validation, interrupts.
 */
export interface VirtioDeviceModel {
  /** Virtio device ID (2 = block, 3 = console, 4 = entropy…). */
  readonly deviceId: number;
  /** Device-specific feature bits offered; the transport adds VERSION_1, INDIRECT_DESC, EVENT_IDX. */
  readonly features: bigint;
  /** Largest size of each queue; the array length is the number of queues. */
  readonly queueSizes: readonly number[];
  /** The device configuration space as it reads now (little-endian layout of the spec). */
  readConfig(): Uint8Array;
  /** A driver write of `size` bytes at `offset` of the configuration space. Optional. */
  writeConfig?(offset: number, size: number, value: number): void;
  /** Whether the device accepts the driver's feature subset (VERSION_1 is checked already). */
  acceptFeatures?(features: bigint): boolean;
  /** The driver set DRIVER_OK: start serving queues through `context`. */
  start(context: DeviceContext): void;
  /** The driver notified ready queue `index` (only after {@link start}). */
  notify(index: number): void;
  /** Device reset: forget every request; late backend completions must not touch the rings. */
  reset(): void;
}

/** What the transport gives a started device model. */
export interface DeviceContext {
  readonly memory: GuestMemory;
  /** The negotiated feature bits. */
  readonly features: bigint;
  /** Ready queue `index`, or undefined when the driver did not set it up. */
  queue(index: number): DeviceQueue | undefined;
  /** Call after pushing used entries on queue `index`: interrupts if the driver wants it. */
  usedBuffers(index: number): void;
  /** Call after the configuration space changed: bumps ConfigGeneration and interrupts. */
  configChanged(): void;
  /** Reports an error the device cannot recover from alone: sets DEVICE_NEEDS_RESET. */
  fail(error: VirtioError): void;
}
