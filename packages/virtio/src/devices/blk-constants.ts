// virtio-blk constants (spec §5.2). Sectors are always 512 bytes, whatever blk_size says.

/** Bytes in one virtio-blk sector. */
export const SECTOR_SIZE = 512;
/** Bytes of the request header {type u32, reserved u32, sector u64}. */
export const BLK_HEADER_SIZE = 16;
/** Bytes of the GET_ID serial string. */
export const BLK_ID_BYTES = 20;
/** Bytes of the configuration space we expose (up to and including num_queues). */
export const BLK_CONFIG_SIZE = 36;

/** Request types. */
export const BlkRequestType = {
  IN: 0,
  OUT: 1,
  FLUSH: 4,
  GET_ID: 8,
} as const;

/** Values of the request's trailing status byte. */
export const BlkStatus = {
  OK: 0,
  IOERR: 1,
  UNSUPP: 2,
} as const;

/** virtio-blk feature bits. */
export const BlkFeatureBit = {
  SIZE_MAX: 1,
  SEG_MAX: 2,
  GEOMETRY: 4,
  RO: 5,
  BLK_SIZE: 6,
  FLUSH: 9,
  TOPOLOGY: 10,
  CONFIG_WCE: 11,
} as const;

/** Byte offsets in the virtio-blk configuration space. */
export const BlkConfig = {
  CAPACITY: 0,
  SIZE_MAX: 8,
  SEG_MAX: 12,
  GEOMETRY: 16,
  BLK_SIZE: 20,
  TOPOLOGY: 24,
  WRITEBACK: 32,
  NUM_QUEUES: 34,
} as const;
