/**
 * `@nanots/tfs`: read and write Nanos TFS images. The portable core (no Node APIs).
 *
 * @module @nanots/tfs
 */
export { checkTransfer, fragmentsOf, transferLength, type BlockDevice, type SectorBuffers } from "./block-device.js";
export { EXTENSION_SECTORS, MAX_EXTENT_SECTORS, SECTOR_SIZE, TFS_VERSION } from "./constants.js";
export { type ContentSource } from "./file-data.js";
export { type Extent } from "./file-extents.js";
export { ERRNO, FsError, type FsErrorCode } from "./fs-error.js";
export { formatUuid, type TfsVersion } from "./log-header.js";
export { readLog, type LogContents, type LogExtension } from "./log-reader.js";
export { MemoryBlockDevice } from "./memory-block-device.js";
export { IdHeapAllocator } from "./id-heap-allocator.js";
export { FirstFitAllocator, type SectorAllocator, type SectorRun } from "./sector-allocator.js";
export { Dirent, EntryKindPredicates, Stats, type EntryKind } from "./stats.js";
export { TfsError, type TfsPosition } from "./tfs-error.js";
export { Tfs, type FormatOptions, type MkdirOptions, type MountOptions, type ReadStreamOptions } from "./tfs.js";
export { timestampToMs, toTimestamp, type Timestamp } from "./timestamp.js";
export { dumpMetadata, dumpTree, V4_WARNING } from "./dump.js";
export { mkfs, MkfsError, parseSize, type HostFile, type MkfsHost, type MkfsOptions, type MkfsResult } from "./mkfs.js";
export { ObservedBlockDevice, type BlockDeviceObserver } from "./observed-block-device.js";
export { PartitionDevice, rootFilesystemDevice, rootFilesystemStart } from "./partition.js";
