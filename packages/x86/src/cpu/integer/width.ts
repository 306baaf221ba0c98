// Helpers for values of 1, 2 and 4 bytes as the CPU keeps them: bytes and words unsigned,
// dwords as int32.

/** Truncates a number to an operand size ≤ 4 in the CPU's representation. */
export function truncate(v: number, size: number): number {
  return size === 4 ? v | 0 : size === 2 ? v & 0xffff : v & 0xff;
}

/** The sign bit of a size ≤ 4. */
export function signBit(size: number): number {
  return size === 4 ? 0x80000000 | 0 : size === 2 ? 0x8000 : 0x80;
}

/** Sign-extends a value of a size ≤ 4 to an int32. */
export function signExtend(v: number, size: number): number {
  return size === 4 ? v | 0 : size === 2 ? (v << 16) >> 16 : (v << 24) >> 24;
}

/** Bits in an operand size. */
export function bitsOf(size: number): number {
  return size * 8;
}

/** A 64-bit value from halves as a bigint (unsigned). */
export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** A value of `size` bytes (as stored) as an unsigned bigint. */
export function toBigUnsigned(v: number, hi: number, size: number): bigint {
  return size === 8 ? toBig(v, hi) : BigInt(v >>> 0) & ((1n << BigInt(size * 8)) - 1n);
}

/** The low and high int32 halves of a bigint (mod 2^64). */
export function halves(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0];
}
