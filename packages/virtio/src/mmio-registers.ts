// The virtio-mmio version 2 register map (spec §4.2.2). Control registers take aligned 32-bit
// accesses only; the device configuration space from 0x100 takes 8-, 16- and 32-bit accesses.

/** Byte offsets of the virtio-mmio v2 registers. */
export const MmioRegister = {
  MAGIC_VALUE: 0x000,
  VERSION: 0x004,
  DEVICE_ID: 0x008,
  VENDOR_ID: 0x00c,
  DEVICE_FEATURES: 0x010,
  DEVICE_FEATURES_SEL: 0x014,
  DRIVER_FEATURES: 0x020,
  DRIVER_FEATURES_SEL: 0x024,
  QUEUE_SEL: 0x030,
  QUEUE_SIZE_MAX: 0x034,
  QUEUE_SIZE: 0x038,
  QUEUE_READY: 0x044,
  QUEUE_NOTIFY: 0x050,
  INTERRUPT_STATUS: 0x060,
  INTERRUPT_ACK: 0x064,
  STATUS: 0x070,
  QUEUE_DESC_LOW: 0x080,
  QUEUE_DESC_HIGH: 0x084,
  QUEUE_DRIVER_LOW: 0x090,
  QUEUE_DRIVER_HIGH: 0x094,
  QUEUE_DEVICE_LOW: 0x0a0,
  QUEUE_DEVICE_HIGH: 0x0a4,
  SHM_SEL: 0x0ac,
  SHM_LEN_LOW: 0x0b0,
  SHM_LEN_HIGH: 0x0b4,
  SHM_BASE_LOW: 0x0b8,
  SHM_BASE_HIGH: 0x0bc,
  QUEUE_RESET: 0x0c0,
  CONFIG_GENERATION: 0x0fc,
  /** Start of the device-specific configuration space. */
  CONFIG: 0x100,
} as const;

/** The value of MagicValue: "virt" in little-endian ASCII. */
export const MMIO_MAGIC = 0x74726976;
/** The only transport version implemented: 2 (modern). */
export const MMIO_VERSION = 2;
/** The vendor ID our devices report by default ("NOTS" in little-endian ASCII). */
export const NANOTS_VENDOR_ID = 0x53544f4e;

/** Bits of InterruptStatus / InterruptACK. */
export const InterruptBit = {
  /** At least one used buffer was returned. */
  USED_BUFFER: 1,
  /** The device configuration (or DEVICE_NEEDS_RESET) changed. */
  CONFIG_CHANGE: 2,
} as const;

/** Register access as a bus sees it: the device side implements it, the driver side uses it. */
export interface MmioAccess {
  /** Reads `size` bytes (1, 2 or 4) at `offset` from the register window base. */
  read(offset: number, size: number): number;
  /** Writes `size` bytes (1, 2 or 4) at `offset`. */
  write(offset: number, size: number, value: number): void;
}
