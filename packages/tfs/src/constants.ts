/** Bytes per sector: the only block size TFS uses. */
export const SECTOR_SIZE = 512;
/** log2 of {@link SECTOR_SIZE}. */
export const SECTOR_SHIFT = 9;
/** The magic at the start of every log extension: ASCII `NVMTFS`. */
export const TFS_MAGIC = new Uint8Array([0x4e, 0x56, 0x4d, 0x54, 0x46, 0x53]);
/** The log version this package writes. */
export const TFS_VERSION = 5;
/** Sectors of the initial extension at sector 0. */
export const INITIAL_EXTENSION_SECTORS = 1;
/** Sectors of every other log extension (512 KiB). */
export const EXTENSION_SECTORS = 1024;
/** Longest extent the writer creates, in sectors (32 MiB). */
export const MAX_EXTENT_SECTORS = 65536;
/** Length of the volume UUID in bytes. */
export const UUID_LENGTH = 16;
/** Longest label in bytes (the on-disk field holds 31 bytes and a NUL). */
export const LABEL_MAX_BYTES = 31;
/** Compaction starts when at least this many entries are obsolete… */
export const COMPACTION_MIN_OBSOLETE = 8192;

/** Frame type bytes of the log (TFS-FORMAT.md §4.2). */
export const Frame = {
  EndOfLog: 0x01,
  TupleAvailable: 0x02,
  TupleExtended: 0x03,
  EndOfSegment: 0x04,
  LogExtensionLink: 0x05,
} as const;

/** Room the writer keeps at the end of an extension for a link and END_OF_LOG. */
export const LINK_RESERVE = 21;
/** Room for a frame header (type and two varints). */
export const FRAME_HEADER_RESERVE = 21;
/** A chunk starts only when `used + CHUNK_START_SLACK < size` (21 + 21 + 32, as Nanos). */
export const CHUNK_START_SLACK = LINK_RESERVE + FRAME_HEADER_RESERVE + 32;
