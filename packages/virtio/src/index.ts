// Public API of @nanots/virtio: re-exports only. Node backends live in @nanots/virtio/node.
export {
  AVAIL_F_NO_INTERRUPT, DESC_SIZE, DescFlag, DeviceId, DeviceStatus, FeatureBit, MAX_QUEUE_SIZE, USED_F_NO_NOTIFY,
  featureMask, hasFeature,
} from "./virtio-constants.js";
export { VirtioError, type VirtioErrorCode } from "./virtio-error.js";
export { BufferGuestMemory, type BufferOwner, type GuestMemory } from "./guest-memory.js";
export { needEvent } from "./need-event.js";
export { alignUp, isValidQueueSize, layoutQueue, queueFootprint, ringPartSizes, type QueueAddresses } from "./ring-layout.js";
export {
  gatherFrom, scatterInto, segmentViews, sliceSegments, totalLength, type DescriptorChain, type Segment,
} from "./descriptor-chain.js";
export { DeviceQueue, type DeviceQueueOptions } from "./device-queue.js";
export { DriverQueue, type Completion, type DriverQueueOptions, type DriverSegment, type IndirectArea } from "./driver-queue.js";
export { InterruptBit, MMIO_MAGIC, MMIO_VERSION, MmioRegister, NANOTS_VENDOR_ID, type MmioAccess } from "./mmio-registers.js";
export type { DeviceContext, VirtioDeviceModel } from "./device-model.js";
export { VirtioMmioDevice, type VirtioMmioDeviceOptions } from "./mmio-device.js";
export { VirtioMmioDriver } from "./mmio-driver.js";
export {
  BLK_CONFIG_SIZE, BLK_HEADER_SIZE, BLK_ID_BYTES, BlkConfig, BlkFeatureBit, BlkRequestType, BlkStatus, SECTOR_SIZE,
} from "./devices/blk-constants.js";
export type { BlockBackend, BlockOp, BlockRequest } from "./devices/block-backend.js";
export { MemoryBlockBackend } from "./devices/memory-block-backend.js";
export { VirtioBlkDevice, type VirtioBlkOptions } from "./devices/blk-device.js";
export { VirtioBlkDriver, type BlkCompletion, type VirtioBlkDriverOptions } from "./devices/blk-driver.js";
export { webCryptoEntropy, type EntropySource } from "./devices/entropy-source.js";
export { VirtioRngDevice, type VirtioRngOptions } from "./devices/rng-device.js";
export { ConsoleFeatureBit, ConsoleQueue, VirtioConsoleDevice, type VirtioConsoleOptions } from "./devices/console-device.js";
