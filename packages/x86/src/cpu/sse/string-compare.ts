// SSE4.2 packed string compares (PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM), per the SDM's
// aggregation, polarity and output-selection rules.
import type { Lanes } from "./lanes.js";

/** The outcome of a packed string compare. */
export interface StringCompareResult {
  /** IntRes2: one bit per element. */
  mask: number;
  /** The ECX result of the ...I forms. */
  index: number;
  /** CF ZF SF OF as RFLAGS bits (AF and PF clear). */
  flags: number;
}

const result: StringCompareResult = { mask: 0, index: 0, flags: 0 };

function element(v: Lanes, k: number, words: boolean, signed: boolean): number {
  return words ? (signed ? v.i16[k]! : v.u16[k]!) : signed ? v.i8[k]! : v.u8[k]!;
}

/** Length of an implicit (zero-terminated) string in a register of n elements. */
export function implicitLength(v: Lanes, words: boolean): number {
  const n = words ? 8 : 16;
  for (let k = 0; k < n; k++) if (element(v, k, words, false) === 0) return k;
  return n;
}

/** |length| saturated to the element count, for the explicit-length forms. */
export function explicitLength(lo: number, hi: number, wide: boolean, words: boolean): number {
  const n = words ? 8 : 16;
  const v = wide ? hi * 2 ** 32 + (lo >>> 0) : lo | 0;
  const a = Math.abs(v);
  return a > n ? n : a;
}

/**
 * Compares string `a` (the first operand, lenA valid elements) with `b` (the second, lenB)
 * under control byte `imm`. The returned object is reused by the next call.
 */
export function compareStrings(a: Lanes, b: Lanes, lenA: number, lenB: number, imm: number): StringCompareResult {
  const words = (imm & 1) !== 0;
  const signed = (imm & 2) !== 0;
  const n = words ? 8 : 16;
  let res1 = 0;
  switch ((imm >> 2) & 3) {
    case 0: // equal any: b[i] is one of a's valid elements
      for (let i = 0; i < lenB; i++) {
        const x = element(b, i, words, signed);
        for (let j = 0; j < lenA; j++) {
          if (element(a, j, words, signed) === x) {
            res1 |= 1 << i;
            break;
          }
        }
      }
      break;
    case 1: // ranges: a holds (low, high) pairs
      for (let i = 0; i < lenB; i++) {
        const x = element(b, i, words, signed);
        for (let j = 0; j + 1 < lenA; j += 2) {
          if (element(a, j, words, signed) <= x && x <= element(a, j + 1, words, signed)) {
            res1 |= 1 << i;
            break;
          }
        }
      }
      break;
    case 2: // equal each: invalid pairs compare equal, an invalid against a valid does not
      for (let i = 0; i < n; i++) {
        const va = i < lenA;
        const vb = i < lenB;
        if (va && vb ? element(a, i, words, signed) === element(b, i, words, signed) : va === vb) res1 |= 1 << i;
      }
      break;
    default: // equal ordered: a occurs in b starting at i (a's invalid tail matches anything)
      for (let i = 0; i < n; i++) {
        let match = true;
        for (let j = 0; i + j < n && j < lenA; j++) {
          if (i + j >= lenB || element(a, j, words, signed) !== element(b, i + j, words, signed)) {
            match = false;
            break;
          }
        }
        if (match) res1 |= 1 << i;
      }
  }
  const all = (1 << n) - 1;
  const polarity = (imm >> 4) & 3;
  const res2 = polarity === 1 ? ~res1 & all : polarity === 3 ? res1 ^ ((1 << lenB) - 1) : res1;
  result.mask = res2;
  result.index = res2 === 0 ? n : imm & 0x40 ? 31 - Math.clz32(res2) : 31 - Math.clz32(res2 & -res2);
  result.flags = (res2 !== 0 ? 0x1 : 0) | (lenB < n ? 0x40 : 0) | (lenA < n ? 0x80 : 0) | (res2 & 1 ? 0x800 : 0);
  return result;
}

/** The XMM0 result of the ...M forms: the bit mask, or each element all ones (imm bit 6). */
export function writeMask(out: Lanes, mask: number, imm: number): void {
  const words = (imm & 1) !== 0;
  out.u32.fill(0);
  if (!(imm & 0x40)) {
    out.u16[0] = mask;
    return;
  }
  const n = words ? 8 : 16;
  for (let k = 0; k < n; k++) {
    if ((mask >> k) & 1) {
      if (words) out.u16[k] = 0xffff;
      else out.u8[k] = 0xff;
    }
  }
}
