// AES-NI round primitives (FIPS-197) on 16-byte states, column-major as the instructions
// hold them: byte i is row i % 4 of column i / 4. The S-box is derived at load time from the
// GF(2^8) inverse and the affine transform rather than typed in.
import type { LaneOp, Lanes } from "./lanes.js";
import { scratch as sharedScratch } from "./lanes.js";
const scratch = sharedScratch; // a local binding: see the note on getters in sse-handlers.ts

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
export function gfMul(a: number, b: number): number {
  let p = 0;
  for (let k = 0; k < 8; k++) {
    if (b & 1) p ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
    b >>= 1;
  }
  return p & 0xff;
}

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
for (let x = 0; x < 256; x++) {
  let inv = 0;
  for (let y = 1; y < 256 && x !== 0; y++) {
    if (gfMul(x, y) === 1) {
      inv = y;
      break;
    }
  }
  let s = inv;
  for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >> (8 - r))) & 0xff;
  s ^= 0x63;
  SBOX[x] = s;
  INV_SBOX[s] = x;
}

/** The AES S-box value of a byte. */
export function subByte(b: number): number {
  return SBOX[b]!;
}

/** ShiftRows (or its inverse) then SubBytes (or its inverse), from `s` into `out`. */
function shiftSub(s: Uint8Array, out: Uint8Array, inverse: boolean): void {
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      const from = r + 4 * ((inverse ? c - r + 4 : c + r) % 4);
      out[r + 4 * c] = inverse ? INV_SBOX[s[from]!]! : SBOX[s[from]!]!;
    }
  }
}

/** MixColumns (or InvMixColumns) in place. */
function mixColumns(st: Uint8Array, inverse: boolean): void {
  const m = inverse ? [14, 11, 13, 9] : [2, 3, 1, 1];
  for (let c = 0; c < 4; c++) {
    const a0 = st[4 * c]!;
    const a1 = st[4 * c + 1]!;
    const a2 = st[4 * c + 2]!;
    const a3 = st[4 * c + 3]!;
    const col = [a0, a1, a2, a3];
    for (let r = 0; r < 4; r++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v ^= gfMul(col[k]!, m[(k - r + 4) % 4]!);
      st[4 * c + r] = v;
    }
  }
}

function round(inverse: boolean, mix: boolean): LaneOp {
  return (d: Lanes, key: Lanes) => {
    const t = scratch.u8;
    shiftSub(d.u8, t, inverse);
    if (mix) mixColumns(t, inverse);
    for (let k = 0; k < 16; k++) d.u8[k] = t[k]! ^ key.u8[k]!;
  };
}

const aesimc: LaneOp = (d, s) => {
  d.set(s);
  mixColumns(d.u8, true);
};

function subWord(w: number): number {
  return (SBOX[w & 0xff]! | (SBOX[(w >>> 8) & 0xff]! << 8) | (SBOX[(w >>> 16) & 0xff]! << 16) | (SBOX[w >>> 24]! << 24)) >>> 0;
}

const aeskeygenassist: LaneOp = (d, s, imm) => {
  const x1 = subWord(s.u32[1]!);
  const x3 = subWord(s.u32[3]!);
  d.u32[0] = x1;
  d.u32[1] = ((x1 >>> 8) | (x1 << 24)) ^ imm;
  d.u32[2] = x3;
  d.u32[3] = ((x3 >>> 8) | (x3 << 24)) ^ imm;
};

/** The AES-NI lane operations keyed by mnemonic. */
export const AES_OPS: Record<string, LaneOp> = {
  aesenc: round(false, true),
  aesenclast: round(false, false),
  aesdec: round(true, true),
  aesdeclast: round(true, false),
  aesimc,
  aeskeygenassist,
};
