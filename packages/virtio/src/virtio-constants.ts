// Constants of the virtio 1.x specification (split rings, device status, generic feature bits,
// device IDs). Values come from the spec; names follow it so they can be looked up there.

/** Device status bits (spec §2.1). Writing 0 to the status register resets the device. */
export const DeviceStatus = {
  /** The guest has noticed the device. */
  ACKNOWLEDGE: 1,
  /** The guest knows how to drive the device. */
  DRIVER: 2,
  /** The driver is set up and ready to drive the device. */
  DRIVER_OK: 4,
  /** The driver has acknowledged the features it understands; negotiation is complete. */
  FEATURES_OK: 8,
  /** The device hit an error it cannot recover from without a reset. */
  DEVICE_NEEDS_RESET: 64,
  /** The driver gave up on the device. */
  FAILED: 128,
} as const;

/** Feature bits shared by every device type (spec §6), as bit numbers. */
export const FeatureBit = {
  /** Descriptors may point to a table of descriptors (split-ring INDIRECT). */
  INDIRECT_DESC: 28,
  /** `used_event` / `avail_event` notification suppression. */
  EVENT_IDX: 29,
  /** The device follows virtio 1.x (mandatory for modern devices). */
  VERSION_1: 32,
  /** The device sits behind an IOMMU or similar. */
  ACCESS_PLATFORM: 33,
  /** Packed virtqueues (not implemented). */
  RING_PACKED: 34,
  /** Buffers are used in the order they were made available. */
  IN_ORDER: 35,
  /** Per-queue reset (not implemented). */
  RING_RESET: 40,
} as const;

/** The 64-bit feature mask with only bit `bit` set. */
export function featureMask(bit: number): bigint {
  return 1n << BigInt(bit);
}

/** True when `features` has bit `bit` set. */
export function hasFeature(features: bigint, bit: number): boolean {
  return (features & featureMask(bit)) !== 0n;
}

/** Device IDs (spec §5) of the device types this package implements. */
export const DeviceId = {
  NET: 1,
  BLOCK: 2,
  CONSOLE: 3,
  ENTROPY: 4,
} as const;

/** Split-ring descriptor flags (spec §2.7.5). */
export const DescFlag = {
  /** The descriptor continues through its `next` field. */
  NEXT: 1,
  /** The buffer is device-writable (otherwise device-readable). */
  WRITE: 2,
  /** The buffer holds a table of descriptors. */
  INDIRECT: 4,
} as const;

/** `avail.flags` bit: the driver asks for no used-buffer interrupts (ignored with EVENT_IDX). */
export const AVAIL_F_NO_INTERRUPT = 1;
/** `used.flags` bit: the device asks for no available-buffer notifications (ignored with EVENT_IDX). */
export const USED_F_NO_NOTIFY = 1;

/** Largest queue size the split ring allows. */
export const MAX_QUEUE_SIZE = 32768;
/** Bytes in one split-ring descriptor. */
export const DESC_SIZE = 16;

/** 2^32: splits a u64 register or field into 32-bit halves (internal). */
export const TWO_32 = 0x1_0000_0000;
