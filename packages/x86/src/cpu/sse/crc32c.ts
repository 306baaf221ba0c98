// The CRC32 instruction: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), accumulated
// into the destination without the pre/post inversion software CRCs apply.

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLE[n] = c;
}

/** Accumulates `count` bytes of `value` (little-endian, low byte first) into `crc`. */
export function crc32cBytes(crc: number, value: number, count: number): number {
  let c = crc >>> 0;
  for (let k = 0; k < count; k++) c = TABLE[(c ^ (value >>> (8 * k))) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}
