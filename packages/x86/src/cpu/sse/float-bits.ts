// Bit-level access to float32/float64 values: NaN payloads, neighbours, classification.
// f64 lanes travel as JS numbers (typed-array loads keep NaN payloads); f32 lanes travel as
// their int32 bit patterns, because widening a float32 signalling NaN to a JS number quiets it.

const f64 = new Float64Array(1);
const u64 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Int32Array(f32.buffer);

/** The default NaN SSE produces for an invalid operation (negative quiet NaN), float64. */
export const DEFAULT_NAN_F64 = f64FromBits(0xfff80000, 0);
/** The default NaN of float32, as bits. */
export const DEFAULT_NAN_F32 = 0xffc00000 | 0;
/** Smallest positive normal float64. */
export const MIN_NORMAL_F64 = 2 ** -1022;
/** Largest finite float64. */
export const MAX_F64 = Number.MAX_VALUE;
/** Smallest positive normal float32. */
export const MIN_NORMAL_F32 = 2 ** -126;
/** Largest finite float32. */
export const MAX_F32 = (2 - 2 ** -23) * 2 ** 127;

/** High 32 bits of a float64. */
export function hiBits(x: number): number {
  f64[0] = x;
  return u64[1]!;
}

/** Low 32 bits of a float64. */
export function loBits(x: number): number {
  f64[0] = x;
  return u64[0]!;
}

/** A float64 from its two halves. */
export function f64FromBits(hi: number, lo: number): number {
  u64[0] = lo;
  u64[1] = hi;
  return f64[0]!;
}

/** The float32 bits of a value that is exactly representable (or NaN-free) as float32. */
export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

/** The value of float32 bits (a signalling NaN comes back quiet: check NaNs on bits first). */
export function f32Value(bits: number): number {
  u32[0] = bits;
  return f32[0]!;
}

/** True when float32 bits are a NaN. */
export function isNaN32(b: number): boolean {
  return (b & 0x7fffffff) > 0x7f800000;
}

/** True when float32 bits are a signalling NaN. */
export function isSNaN32(b: number): boolean {
  return isNaN32(b) && (b & 0x00400000) === 0;
}

/** True when a float64 NaN is signalling (quiet bit clear). */
export function isSNaN64(x: number): boolean {
  return x !== x && (hiBits(x) & 0x00080000) === 0;
}

/** A float64 NaN with its quiet bit set (payload kept). */
export function quiet64(x: number): number {
  f64[0] = x;
  u64[1] = u64[1]! | 0x00080000;
  return f64[0]!;
}

/** True when float32 bits are a denormal (non-zero with a zero exponent). */
export function isDenormal32(b: number): boolean {
  return (b & 0x7f800000) === 0 && (b & 0x007fffff) !== 0;
}

/** True when a float64 is a denormal. */
export function isDenormal64(x: number): boolean {
  return x !== 0 && x > -MIN_NORMAL_F64 && x < MIN_NORMAL_F64;
}

/** The next float64 toward +infinity (x finite). */
export function nextUp64(x: number): number {
  if (x === 0) return 2 ** -1074;
  f64[0] = x;
  step64(x > 0 ? 1 : -1);
  return f64[0]!;
}

/** The next float64 toward -infinity (x finite). */
export function nextDown64(x: number): number {
  return -nextUp64(-x);
}

function step64(delta: number): void {
  const lo = u64[0]!;
  if (delta > 0) {
    u64[0] = lo + 1;
    if (lo === 0xffffffff) u64[1] = u64[1]! + 1;
  } else {
    u64[0] = lo - 1;
    if (lo === 0) u64[1] = u64[1]! - 1;
  }
}

/** The next float32 value toward +infinity (x a finite float32 value), as a number. */
export function nextUp32(x: number): number {
  if (x === 0) return 2 ** -149;
  const b = f32Bits(x);
  return f32Value(x > 0 ? b + 1 : b - 1);
}

/** The next float32 value toward -infinity. */
export function nextDown32(x: number): number {
  return -nextUp32(-x);
}
