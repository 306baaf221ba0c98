// IEEE arithmetic lanes as SSE computes them: add, sub, mul, div, sqrt for float32 and
// float64, with DAZ, the x86 NaN rules, exception flags and every rounding mode, bit-exact.
// float64 lanes take and return numbers; float32 lanes take and return int32 bit patterns.
import { Mxcsr, Rounding, fpEnv } from "./mxcsr.js";
import { DEFAULT_NAN_F32, DEFAULT_NAN_F64, f32Bits, f32Value, isDenormal32, isDenormal64, isNaN32, isSNaN32, isSNaN64, quiet64 } from "./float-bits.js";
import { F64, bitLength, decompose, roundExact, roundNear32, roundNear64 } from "./exact-round.js";

// Imported constants and functions copied into locals: loaders that wrap live bindings in
// getters (tsx) would otherwise call one per use in these hot paths.
const _roundNear64 = roundNear64;
const _roundNear32 = roundNear32;
const _roundExact = roundExact;
const _decompose = decompose;
const _isDenormal64 = isDenormal64;
const _isDenormal32 = isDenormal32;
const _f32Value = f32Value;
const _f32Bits = f32Bits;
const _isNaN32 = isNaN32;
const _isSNaN32 = isSNaN32;
const _isSNaN64 = isSNaN64;
const _quiet64 = quiet64;
const _bitLength = bitLength;
const DE = Mxcsr.DE;
const IE = Mxcsr.IE;
const ZE = Mxcsr.ZE;
const DOWN = Rounding.Down;
const env = fpEnv;

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for float64
const SAFE_LOW = 2 ** -968; // above this, product errors are representable (no underflow)
const SAFE_HIGH = 2 ** 995; // below this, splitting cannot overflow
const MAX = Number.MAX_VALUE;
const MIN_NORMAL_32 = 2 ** -126;
const MAX_32 = (2 - 2 ** -23) * 2 ** 127;

/** The result of an operation with a NaN operand: the first NaN source, quieted. */
export function nanResult64(a: number, b: number): number {
  if (_isSNaN64(a) || _isSNaN64(b)) env.flags |= IE;
  return _quiet64(a !== a ? a : b);
}

/** float32 version of {@link nanResult64}, on bits. */
export function nanResult32(a: number, b: number): number {
  if (_isSNaN32(a) || _isSNaN32(b)) env.flags |= IE;
  return (_isNaN32(a) ? a : b) | 0x00400000;
}

/** An invalid operation: IE and the default NaN. */
export function invalid64(): number {
  env.flags |= IE;
  return DEFAULT_NAN_F64;
}

/** A float64 source operand: denormals read as zero under DAZ, else they raise DE. */
export function in64(x: number): number {
  if (_isDenormal64(x)) {
    if (env.daz) return x < 0 ? -0 : 0;
    env.flags |= DE;
  }
  return x;
}

/** A float64 operand with DAZ applied but no DE raised (for checks that come before DE). */
function daz64(x: number): number {
  return env.daz && _isDenormal64(x) ? (x < 0 ? -0 : 0) : x;
}

/** float32 bits as a number with DAZ applied but no DE raised. */
function daz32(b: number): number {
  return env.daz && _isDenormal32(b) ? (b < 0 ? -0 : 0) : _f32Value(b);
}

/** A float32 source operand (bits) as a number, with DAZ and DE as {@link in64}. */
export function in32(b: number): number {
  if (_isDenormal32(b)) {
    if (env.daz) return b < 0 ? -0 : 0;
    env.flags |= DE;
  }
  return _f32Value(b);
}

/** Sign of the rounding error of s = fl(a + b) (TwoSum). */
function sumErrorSign(a: number, b: number, s: number): number {
  const bb = s - a;
  const err = a - (s - bb) + (b - bb);
  return err > 0 ? 1 : err < 0 ? -1 : 0;
}

/** The exact error a * b - p of p = fl(a * b) (Dekker's TwoProduct); needs safe magnitudes. */
function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

function signOf(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function safe(x: number): boolean {
  const a = x < 0 ? -x : x;
  return a >= SAFE_LOW && a < SAFE_HIGH;
}

/** An exact zero sum: IEEE sign rules (x + -x is -0 only when rounding down). */
function zeroSum(a: number, b: number): number {
  if (a === 0 && b === 0 && Object.is(a, b)) return a;
  return env.rc === DOWN ? -0 : 0;
}

/** a + b of two finite float64s, exactly, then rounded. */
function exactSum(a: number, b: number): number {
  if (a === 0 || b === 0) {
    const x = a === 0 ? b : a;
    const { m, e } = _decompose(x);
    return _roundExact(x < 0, m, e, false, F64);
  }
  const da = _decompose(a);
  const db = _decompose(b);
  const e = Math.min(da.e, db.e);
  const ma = (a < 0 ? -da.m : da.m) << BigInt(da.e - e);
  const mb = (b < 0 ? -db.m : db.m) << BigInt(db.e - e);
  const sum = ma + mb;
  return _roundExact(sum < 0n, sum < 0n ? -sum : sum, e, false, F64);
}

function addCore64(a: number, b: number): number {
  const r = a + b;
  if (r !== r) return invalid64();
  if (r === 0) return zeroSum(a, b);
  if (r === Infinity || r === -Infinity) return a === r || b === r ? r : exactSum(a, b);
  const ar = r < 0 ? -r : r;
  if (ar >= 2 ** -1021) return env.inexactKnown ? r : _roundNear64(r, sumErrorSign(a, b, r));
  return exactSum(a, b); // a tiny sum is exact; roundExact applies FTZ and underflow rules
}

/** ADDSD lane. */
export function addF64(a: number, b: number): number {
  if (a !== a || b !== b) return nanResult64(a, b);
  return addCore64(in64(a), in64(b));
}

/** SUBSD lane. */
export function subF64(a: number, b: number): number {
  if (a !== a || b !== b) return nanResult64(a, b);
  return addCore64(in64(a), -in64(b));
}

/** MULSD lane. */
export function mulF64(a: number, b: number): number {
  if (a !== a || b !== b) return nanResult64(a, b);
  a = in64(a);
  b = in64(b);
  const r = a * b;
  if (r !== r) return invalid64();
  if (a === 0 || b === 0 || a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) return r;
  const ar = r < 0 ? -r : r;
  if (env.inexactKnown && ar >= 2 ** -1021 && ar <= MAX) return r;
  if (ar >= SAFE_LOW && ar < 2 ** 1023 && safe(a) && safe(b)) return _roundNear64(r, signOf(productError(a, b, r)));
  const da = _decompose(a);
  const db = _decompose(b);
  return _roundExact(a < 0 !== b < 0, da.m * db.m, da.e + db.e, false, F64);
}

/**
 * x / y when it is decided before any denormal check: 0/0 and ∞/∞ (NaN: the caller raises IE),
 * or a zero divisor (±∞, with ZE unless x is infinite). Otherwise undefined.
 */
function specialQuotient(x: number, y: number): number | undefined {
  const xInfinite = x === Infinity || x === -Infinity;
  if ((x === 0 && y === 0) || (xInfinite && (y === Infinity || y === -Infinity))) return NaN;
  if (y !== 0) return undefined;
  if (!xInfinite) env.flags |= ZE;
  return x / y;
}

/** DIVSD lane. Division by zero and 0/0 report ZE or IE without DE, as the hardware does. */
export function divF64(a: number, b: number): number {
  if (a !== a || b !== b) return nanResult64(a, b);
  const special = specialQuotient(daz64(a), daz64(b));
  if (special !== undefined) return special === special ? special : invalid64();
  a = in64(a);
  b = in64(b);
  const q = a / b;
  if (a === 0 || a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) return q;
  const aq = q < 0 ? -q : q;
  if (env.inexactKnown && aq >= 2 ** -1021 && aq <= MAX) return q;
  if (aq >= SAFE_LOW && aq < SAFE_HIGH && safe(a) && safe(b)) {
    const p = q * b;
    const resid = a - p - productError(q, b, p);
    return _roundNear64(q, signOf(resid) * (b < 0 ? -1 : 1));
  }
  const da = _decompose(a);
  const db = _decompose(b);
  const k = Math.max(0, _bitLength(db.m) - _bitLength(da.m) + 55);
  const num = da.m << BigInt(k);
  const quo = num / db.m;
  return _roundExact(a < 0 !== b < 0, quo, da.e - db.e - k, num % db.m !== 0n, F64);
}

/** SQRTSD lane. An invalid operand (negative) raises IE without DE, as the hardware does. */
export function sqrtF64(a: number): number {
  if (a !== a) return nanResult64(a, a);
  if (a < 0 && !(env.daz && _isDenormal64(a))) return invalid64();
  a = in64(a);
  if (a === 0 || a === Infinity) return a;
  // Scale by an even power of two into the range where the residual is exact.
  const scale = a < 2 ** -900 ? 2 ** 500 : a > 2 ** 900 ? 2 ** -500 : 1;
  const x = a * scale * scale;
  const s = Math.sqrt(x);
  if (env.inexactKnown) return s / scale; // square roots are never tiny or huge
  const p = s * s;
  const resid = x - p - productError(s, s, p);
  return _roundNear64(s, signOf(resid)) / scale;
}

/**
 * When PE is known set: the float32 nearest hi (a double within half a float64 ulp of the
 * exact result, so the double rounding is innocuous), or NaN outside the normal range, where
 * the exact path must decide UE and OE.
 */
function quickNearest32(hi: number): number {
  const f = Math.fround(hi);
  const a = f < 0 ? -f : f;
  return a > MIN_NORMAL_32 && a < MAX_32 ? f : NaN;
}

/** A float32 result value as bits. */
function out32(x: number): number {
  return _f32Bits(x);
}

function invalid32(): number {
  env.flags |= IE;
  return DEFAULT_NAN_F32;
}

function addCore32(a: number, b: number): number {
  const r = a + b;
  if (r !== r) return invalid32();
  if (r === 0) return out32(zeroSum(a, b));
  if (r === Infinity || r === -Infinity) return out32(r);
  const quick = env.inexactKnown ? quickNearest32(r) : NaN;
  return out32(quick === quick ? quick : _roundNear32(r, sumErrorSign(a, b, r)));
}

/** ADDSS lane (bits in, bits out). */
export function addF32(a: number, b: number): number {
  if (_isNaN32(a) || _isNaN32(b)) return nanResult32(a, b);
  return addCore32(in32(a), in32(b));
}

/** SUBSS lane. */
export function subF32(a: number, b: number): number {
  if (_isNaN32(a) || _isNaN32(b)) return nanResult32(a, b);
  return addCore32(in32(a), -in32(b));
}

/** MULSS lane. */
export function mulF32(a: number, b: number): number {
  if (_isNaN32(a) || _isNaN32(b)) return nanResult32(a, b);
  const x = in32(a);
  const y = in32(b);
  const r = x * y; // exact in float64
  if (r !== r) return invalid32();
  if (r === 0 || r === Infinity || r === -Infinity) return out32(r);
  return out32(_roundNear32(r, 0)); // exact product: the plain path is already short
}

/** DIVSS lane (ZE and IE without DE, as {@link divF64}). */
export function divF32(a: number, b: number): number {
  if (_isNaN32(a) || _isNaN32(b)) return nanResult32(a, b);
  const special = specialQuotient(daz32(a), daz32(b));
  if (special !== undefined) return special === special ? out32(special) : invalid32();
  const x = in32(a);
  const y = in32(b);
  const q = x / y;
  if (q === 0 || q === Infinity || q === -Infinity) return out32(q);
  const quick = env.inexactKnown ? quickNearest32(q) : NaN;
  if (quick === quick) return out32(quick);
  const p = q * y;
  const resid = x - p - productError(q, y, p);
  return out32(_roundNear32(q, signOf(resid) * (y < 0 ? -1 : 1)));
}

/** SQRTSS lane. */
export function sqrtF32(a: number): number {
  if (_isNaN32(a)) return nanResult32(a, a);
  if (a < 0 && a !== (0x80000000 | 0) && !(env.daz && _isDenormal32(a))) return invalid32();
  const x = in32(a);
  if (x === 0 || x === Infinity) return out32(x);
  const s = Math.sqrt(x);
  const quick = env.inexactKnown ? quickNearest32(s) : NaN;
  if (quick === quick) return out32(quick);
  const p = s * s;
  return out32(_roundNear32(s, signOf(x - p - productError(s, s, p))));
}
