// Fast paths of add, sub and mul for the common case: normal operands and a normal result
// well inside the exponent range, computed on 16- and 32-bit limbs held in numbers (no bigint).
// Anything else (specials, denormals, results near overflow or underflow, far-apart addends)
// returns undefined before touching the environment, and the exact bigint path runs instead.
import { F80 } from "./f80.js";
import { FpException, Rounding, type F80Env } from "./f80-env.js";

const TWO32 = 4294967296;

/** How the bits below the kept 64 compare with half a unit of the 64th bit. */
const Rest = { Zero: 0, Below: 1, Half: 2, Above: 3 } as const;

/** True for a normal operand (exponent 1..0x7ffe, integer bit set). */
function isNormal(x: F80): boolean {
  const e = x.se & 0x7fff;
  return e !== 0 && e !== 0x7fff && x.hi >>> 31 === 1;
}

/** Classifies dropped bits `d` (of width given by `half`·2) followed by lower bits summarised as `rest`. */
function category(d: number, half: number, rest: number): number {
  if (d > half) return Rest.Above;
  if (d === half) return rest === Rest.Zero ? Rest.Half : Rest.Above;
  return d === 0 && rest === Rest.Zero ? Rest.Zero : Rest.Below;
}

/**
 * Rounds the 64-bit significand h:l (bit 63 set) of a value with biased exponent `exp` in
 * [2, 0x7ffd], the lower bits summarised by `rest`, to the environment's precision.
 */
function roundNormal(env: F80Env, sign: number, exp: number, h: number, l: number, rest: number): F80 {
  const p = env.precision;
  let cat: number;
  let odd: number;
  if (p === 64) {
    cat = rest;
    odd = l & 1;
  } else if (p === 53) {
    cat = category(l & 0x7ff, 0x400, rest);
    odd = (l >>> 11) & 1;
    l = (l & ~0x7ff) >>> 0;
  } else {
    const d = h & 0xff;
    cat = d > 0x80 || (d === 0x80 && (l !== 0 || rest !== Rest.Zero)) ? Rest.Above : d === 0x80 ? Rest.Half : d === 0 && l === 0 && rest === Rest.Zero ? Rest.Zero : Rest.Below;
    odd = (h >>> 8) & 1;
    h = (h & ~0xff) >>> 0;
    l = 0;
  }
  let up = false;
  if (cat !== Rest.Zero) {
    env.flags |= FpException.Precision;
    const r = env.rounding;
    up = r === Rounding.Nearest ? cat === Rest.Above || (cat === Rest.Half && odd === 1) : r === Rounding.Up ? sign === 0 : r === Rounding.Down ? sign === 1 : false;
  }
  if (up) {
    const unit = p === 64 ? 1 : p === 53 ? 0x800 : 0;
    if (unit !== 0) {
      l += unit;
      if (l >= TWO32) {
        l -= TWO32;
        h += 1;
      }
    } else h += 0x100;
    if (h >= TWO32) {
      h = 0x80000000; // carried out of the top: 2^64 becomes 2^63 one exponent up
      exp += 1;
    }
  }
  env.roundedUp = up;
  return new F80((sign << 15) | exp, h >>> 0, l >>> 0);
}

/** The rest category of the low 64 bits w1:w0 (plus a sticky bit below them). */
function restOf(w1: number, w0: number, sticky: number): number {
  const top = w1 >>> 31;
  const lower = (w1 & 0x7fffffff) !== 0 || w0 !== 0 || sticky !== 0;
  return top ? (lower ? Rest.Above : Rest.Half) : lower ? Rest.Below : Rest.Zero;
}

/** `a × b` for normal operands with an in-range result, else undefined. */
export function fastMul(env: F80Env, a: F80, b: F80): F80 | undefined {
  if (!isNormal(a) || !isNormal(b)) return undefined;
  let exp = (a.se & 0x7fff) + (b.se & 0x7fff) - 16383;
  if (exp < 2 || exp > 0x7ffc) return undefined;
  const a0 = a.lo & 0xffff, a1 = a.lo >>> 16, a2 = a.hi & 0xffff, a3 = a.hi >>> 16;
  const b0 = b.lo & 0xffff, b1 = b.lo >>> 16, b2 = b.hi & 0xffff, b3 = b.hi >>> 16;
  // Column sums of 16×16-bit products (each below 2^34), then carries in base 2^16.
  let c = a0 * b0;
  let q = Math.floor(c / 65536);
  const r0 = c - q * 65536;
  c = q + a0 * b1 + a1 * b0;
  q = Math.floor(c / 65536);
  const r1 = c - q * 65536;
  c = q + a0 * b2 + a1 * b1 + a2 * b0;
  q = Math.floor(c / 65536);
  const r2 = c - q * 65536;
  c = q + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  q = Math.floor(c / 65536);
  const r3 = c - q * 65536;
  c = q + a1 * b3 + a2 * b2 + a3 * b1;
  q = Math.floor(c / 65536);
  const r4 = c - q * 65536;
  c = q + a2 * b3 + a3 * b2;
  q = Math.floor(c / 65536);
  const r5 = c - q * 65536;
  c = q + a3 * b3;
  const r7 = Math.floor(c / 65536);
  const r6 = c - r7 * 65536;
  let w3 = r7 * 65536 + r6;
  let w2 = r5 * 65536 + r4;
  let w1 = r3 * 65536 + r2;
  const w0 = r1 * 65536 + r0;
  if (w3 >= 0x80000000) exp += 1;
  else {
    // The product of two significands in [1, 2) is in [1, 4): shift the 2^126 case up.
    w3 = ((w3 << 1) | (w2 >>> 31)) >>> 0;
    w2 = ((w2 << 1) | (w1 >>> 31)) >>> 0;
    w1 = ((w1 << 1) | (w0 >>> 31)) >>> 0;
    return roundNormal(env, (a.se ^ b.se) >>> 15, exp, w3, w2, restOf(w1, (w0 << 1) >>> 0, 0));
  }
  return roundNormal(env, (a.se ^ b.se) >>> 15, exp, w3, w2, restOf(w1, w0, 0));
}

// A 128-bit scratch number for add: words X3 (top) … X0.
let x3 = 0, x2 = 0, x1 = 0, x0 = 0;

/** Sets X to the 64-bit h:l shifted right by d (0 ≤ d < 64) inside the 128-bit window h:l:0:0. */
function alignedBelow(h: number, l: number, d: number): void {
  if (d === 0) {
    x3 = h; x2 = l; x1 = 0; x0 = 0;
  } else if (d < 32) {
    x3 = h >>> d;
    x2 = ((h << (32 - d)) | (l >>> d)) >>> 0;
    x1 = (l << (32 - d)) >>> 0;
    x0 = 0;
  } else if (d === 32) {
    x3 = 0; x2 = h; x1 = l; x0 = 0;
  } else {
    const s = d - 32;
    x3 = 0;
    x2 = h >>> s;
    x1 = ((h << (32 - s)) | (l >>> s)) >>> 0;
    x0 = (l << (32 - s)) >>> 0;
  }
}

/** An exact result: no flags, C1 clear. */
function exactly(env: F80Env, x: F80): F80 {
  env.roundedUp = false;
  return x;
}

/** `a + b` (with b's sign replaced by `signB`) for normal operands at most 63 binades apart, else undefined. */
export function fastAdd(env: F80Env, a: F80, b: F80, signB: number): F80 | undefined {
  if (!isNormal(a) || !isNormal(b)) {
    // x ± 0 is x exactly at full precision (at less, x itself would need rounding).
    if (env.precision !== 64) return undefined;
    if (isNormal(a) && (b.se & 0x7fff) === 0 && b.hi === 0 && b.lo === 0) return exactly(env, a);
    if (isNormal(b) && (a.se & 0x7fff) === 0 && a.hi === 0 && a.lo === 0) return exactly(env, new F80((signB << 15) | (b.se & 0x7fff), b.hi, b.lo));
    return undefined;
  }
  let ea = a.se & 0x7fff;
  let eb = b.se & 0x7fff;
  let signA = a.se >>> 15;
  // Order by magnitude so the first operand is the larger.
  if (eb > ea || (eb === ea && (b.hi > a.hi || (b.hi === a.hi && b.lo > a.lo)))) {
    const t = a;
    a = b;
    b = t;
    const te = ea;
    ea = eb;
    eb = te;
    const ts = signA;
    signA = signB;
    signB = ts;
  }
  const d = ea - eb;
  if (d >= 64 || ea < 3 || ea > 0x7ffc) return undefined;
  alignedBelow(b.hi, b.lo, d);
  let w3: number, w2: number, w1: number, w0: number;
  let exp = ea;
  if (signA === signB) {
    let s = x0; // a's low words are zero
    w0 = s;
    s = x1;
    w1 = s;
    s = a.lo + x2;
    w2 = s % TWO32;
    s = a.hi + x3 + (s >= TWO32 ? 1 : 0);
    w3 = s % TWO32;
    if (s >= TWO32) {
      // Carry out: shift right one, keeping the dropped bit as sticky.
      const sticky = w0 & 1;
      w0 = ((w0 >>> 1) | (w1 << 31)) >>> 0;
      w1 = ((w1 >>> 1) | (w2 << 31)) >>> 0;
      w2 = ((w2 >>> 1) | (w3 << 31)) >>> 0;
      w3 = ((w3 >>> 1) | 0x80000000) >>> 0;
      exp += 1;
      return roundNormal(env, signA, exp, w3, w2, restOf(w1, w0, sticky));
    }
    return roundNormal(env, signA, exp, w3, w2, restOf(w1, w0, 0));
  }
  // Subtract the smaller magnitude: exact in 128 bits.
  let t = 0 - x0;
  w0 = t >>> 0;
  let borrow = t < 0 ? 1 : 0;
  t = 0 - x1 - borrow;
  w1 = t >>> 0;
  borrow = t < 0 ? 1 : 0;
  t = a.lo - x2 - borrow;
  w2 = t >>> 0;
  borrow = t < 0 ? 1 : 0;
  w3 = (a.hi - x3 - borrow) >>> 0;
  if ((w3 | w2 | w1 | w0) === 0) return new F80(env.rounding === Rounding.Down ? 0x8000 : 0, 0, 0);
  // Normalise: move whole words, then bits.
  while (w3 === 0) {
    w3 = w2; w2 = w1; w1 = w0; w0 = 0;
    exp -= 32;
  }
  const z = Math.clz32(w3);
  if (z !== 0) {
    w3 = ((w3 << z) | (w2 >>> (32 - z))) >>> 0;
    w2 = ((w2 << z) | (w1 >>> (32 - z))) >>> 0;
    w1 = ((w1 << z) | (w0 >>> (32 - z))) >>> 0;
    w0 = (w0 << z) >>> 0;
    exp -= z;
  }
  if (exp < 2) return undefined;
  return roundNormal(env, signA, exp, w3, w2, restOf(w1, w0, 0));
}

/** FLD m64 for a normal double: exact, no flags. Undefined for zeros, denormals, infinities and NaNs. */
export function fastFromFloat64(lo: number, hi: number): F80 | undefined {
  const biased = (hi >>> 20) & 0x7ff;
  if (biased === 0 || biased === 0x7ff) return undefined;
  const h = (0x80000000 | ((hi & 0xfffff) << 11) | (lo >>> 21)) >>> 0;
  return new F80(((hi >>> 31) << 15) | (biased - 1023 + 16383), h, (lo << 11) >>> 0);
}

/** The high 32 bits of the last {@link fastToFloat64} result. */
export let float64High = 0;

/**
 * FST m64 for a normal value whose result is a normal double: returns the low 32 bits and
 * leaves the high 32 bits in {@link float64High}. Undefined (environment untouched) otherwise.
 */
export function fastToFloat64(env: F80Env, x: F80): number | undefined {
  if (!isNormal(x)) return undefined;
  const e = (x.se & 0x7fff) - 16383;
  if (e < -1021 || e > 1022) return undefined;
  const sign = x.se >>> 15;
  const h = x.hi;
  const l = x.lo;
  const cat = category(l & 0x7ff, 0x400, Rest.Zero);
  let fracLo = ((h << 21) | (l >>> 11)) >>> 0;
  let top = ((sign << 31) | ((e + 1023) << 20) | ((h >>> 11) & 0xfffff)) >>> 0;
  let up = false;
  if (cat !== Rest.Zero) {
    env.flags |= FpException.Precision;
    const r = env.rounding;
    up = r === Rounding.Nearest ? cat === Rest.Above || (cat === Rest.Half && (fracLo & 1) === 1) : r === Rounding.Up ? sign === 0 : r === Rounding.Down ? sign === 1 : false;
    if (up) {
      // A carry into the exponent field is the correctly rounded next binade.
      fracLo += 1;
      if (fracLo === TWO32) {
        fracLo = 0;
        top += 1;
      }
    }
  }
  env.roundedUp = up;
  float64High = top | 0;
  return fracLo | 0;
}

/**
 * FIST/FISTTP for a normal value below 2^31 in magnitude: the rounded integer as a number
 * (exact; it may round to ±2^31, which the caller range-checks), or undefined (environment
 * untouched) for anything else.
 */
export function fastToInt(env: F80Env, x: F80, truncate: boolean): number | undefined {
  if (!isNormal(x)) return undefined;
  const e = (x.se & 0x7fff) - 16383;
  if (e > 30) return undefined;
  const sign = x.se >>> 15;
  const h = x.hi;
  const l = x.lo;
  let int: number;
  let cat: number;
  if (e >= 0) {
    const fracBits = 31 - e; // fraction bits left in h (1..31)
    int = h >>> fracBits;
    cat = category((h & ((1 << fracBits) - 1)) >>> 0, 2 ** (fracBits - 1), l === 0 ? Rest.Zero : Rest.Below);
  } else {
    int = 0;
    cat = e === -1 ? category(h, 0x80000000, l === 0 ? Rest.Zero : Rest.Below) : Rest.Below;
  }
  let up = false;
  if (cat !== Rest.Zero) {
    env.flags |= FpException.Precision;
    const r = truncate ? Rounding.TowardZero : env.rounding;
    up = r === Rounding.Nearest ? cat === Rest.Above || (cat === Rest.Half && (int & 1) === 1) : r === Rounding.Up ? sign === 0 : r === Rounding.Down ? sign === 1 : false;
  }
  if (up) int += 1;
  env.roundedUp = up;
  return sign ? -int : int;
}

/** `a / b` for normal operands with an in-range result, by restoring division on 32-bit words; else undefined. */
export function fastDiv(env: F80Env, a: F80, b: F80): F80 | undefined {
  if (!isNormal(a) || !isNormal(b)) return undefined;
  let exp = (a.se & 0x7fff) - (b.se & 0x7fff) + 16383;
  const bh = b.hi;
  const bl = b.lo;
  let rc = 0; // the remainder's 65th bit
  let rh = a.hi;
  let rl = a.lo;
  if (rh < bh || (rh === bh && rl < bl)) {
    // Quotient below 1: start one bit further so the first quotient bit is 1.
    rc = rh >>> 31;
    rh = ((rh << 1) | (rl >>> 31)) >>> 0;
    rl = (rl << 1) >>> 0;
    exp -= 1;
  }
  if (exp < 2 || exp > 0x7ffc) return undefined;
  let qh = 0;
  let ql = 0;
  for (let k = 0; k < 64; k++) {
    let bit = 0;
    if (rc !== 0 || rh > bh || (rh === bh && rl >= bl)) {
      const low = rl - bl;
      rl = low >>> 0;
      rh = (rh - bh - (low < 0 ? 1 : 0)) >>> 0;
      rc = 0;
      bit = 1;
    }
    qh = ((qh << 1) | (ql >>> 31)) >>> 0;
    ql = ((ql << 1) | bit) >>> 0;
    rc = rh >>> 31;
    rh = ((rh << 1) | (rl >>> 31)) >>> 0;
    rl = (rl << 1) >>> 0;
  }
  // The remainder is now doubled: compare it with the divisor for the rounding category.
  const rest =
    rc !== 0 || rh > bh || (rh === bh && rl > bl) ? Rest.Above : rh === bh && rl === bl ? Rest.Half : rh !== 0 || rl !== 0 ? Rest.Below : Rest.Zero;
  return roundNormal(env, (a.se ^ b.se) >>> 15, exp, qh, ql, rest);
}

/** `√a` for a positive normal operand, by the digit-pair method on 32-bit words; else undefined. */
export function fastSqrt(env: F80Env, a: F80): F80 | undefined {
  if (!isNormal(a) || a.se >>> 15 === 1) return undefined;
  const e = (a.se & 0x7fff) - 16383;
  // M = significand × 2^s (s = 63 or 64 so the exponent left over is even); √M has 64 bits.
  const s = (e - 63) & 1 ? 63 : 64;
  const h = a.hi;
  const l = a.lo;
  const m = s === 64 ? [0, 0, l, h] : [0, (l << 31) >>> 0, ((h << 31) | (l >>> 1)) >>> 0, h >>> 1];
  let r2 = 0, r1 = 0, r0 = 0; // remainder (up to 66 bits)
  let qh = 0, ql = 0; // root so far
  for (let k = 0; k < 64; k++) {
    const pair = (m[3 - (k >> 4)]! >>> (30 - 2 * (k & 15))) & 3;
    r2 = ((r2 << 2) | (r1 >>> 30)) >>> 0;
    r1 = ((r1 << 2) | (r0 >>> 30)) >>> 0;
    r0 = ((r0 << 2) | pair) >>> 0;
    // trial = 4·root + 1
    const t2 = qh >>> 30;
    const t1 = ((qh << 2) | (ql >>> 30)) >>> 0;
    const t0 = ((ql << 2) | 1) >>> 0;
    qh = ((qh << 1) | (ql >>> 31)) >>> 0;
    ql = (ql << 1) >>> 0;
    if (r2 > t2 || (r2 === t2 && (r1 > t1 || (r1 === t1 && r0 >= t0)))) {
      let d = r0 - t0;
      r0 = d >>> 0;
      let borrow = d < 0 ? 1 : 0;
      d = r1 - t1 - borrow;
      r1 = d >>> 0;
      borrow = d < 0 ? 1 : 0;
      r2 = (r2 - t2 - borrow) >>> 0;
      ql = (ql | 1) >>> 0;
    }
  }
  // M − root² is in [0, 2·root]: above half exactly when it exceeds the root (never a tie).
  const rest =
    (r2 | r1 | r0) === 0 ? Rest.Zero : r2 > 0 || r1 > qh || (r1 === qh && r0 > ql) ? Rest.Above : Rest.Below;
  return roundNormal(env, 0, 16383 + 63 + (e - 63 - s) / 2, qh, ql, rest);
}
