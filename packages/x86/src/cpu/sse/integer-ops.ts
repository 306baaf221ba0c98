// Integer SIMD lane operations (MMX, SSE2, SSSE3, SSE4.1, SSE4.2 integer forms), per the
// Intel SDM. Each is a LaneOp: d = d op s over `bytes` bytes.
import { type LaneOp, type Lanes, implicitXmm0 as sharedImplicitXmm0, scratch as sharedScratch } from "./lanes.js";
const scratch = sharedScratch; // a local binding: see the note on getters in sse-handlers.ts
const implicitXmm0 = sharedImplicitXmm0; // a local binding: see the note on getters in sse-handlers.ts

const sat8 = (v: number): number => (v > 127 ? 127 : v < -128 ? -128 : v);
const sat16 = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);
const satU8 = (v: number): number => (v > 255 ? 255 : v < 0 ? 0 : v);
const satU16 = (v: number): number => (v > 65535 ? 65535 : v < 0 ? 0 : v);

/** Builds a lane-wise op over 8-, 16- or 32-bit lanes from a scalar function. */
function lanewise(width: 1 | 2 | 4, signed: boolean, f: (a: number, b: number) => number): LaneOp {
  return (d, s, _imm, bytes) => {
    const n = bytes / width;
    const dv = width === 1 ? (signed ? d.i8 : d.u8) : width === 2 ? (signed ? d.i16 : d.u16) : signed ? d.i32 : d.u32;
    const sv = width === 1 ? (signed ? s.i8 : s.u8) : width === 2 ? (signed ? s.i16 : s.u16) : signed ? s.i32 : s.u32;
    for (let k = 0; k < n; k++) dv[k] = f(dv[k]!, sv[k]!);
  };
}

/** 64-bit lane add or subtract on 32-bit halves. */
function add64(sub: boolean): LaneOp {
  return (d, s, _imm, bytes) => {
    for (let k = 0; k < bytes / 4; k += 2) {
      const a = d.u32[k]!;
      const b = s.u32[k]!;
      const lo = sub ? a - b : a + b;
      const carry = sub ? (a < b ? -1 : 0) : lo >= 2 ** 32 ? 1 : 0;
      d.u32[k] = lo;
      d.u32[k + 1] = (sub ? d.u32[k + 1]! - s.u32[k + 1]! : d.u32[k + 1]! + s.u32[k + 1]!) + carry;
    }
  };
}

/** Signed 64-bit compare a > b of lane k (32-bit halves). */
function greater64(d: Lanes, s: Lanes, k: number): boolean {
  const ah = d.i32[k + 1]!;
  const bh = s.i32[k + 1]!;
  return ah > bh || (ah === bh && d.u32[k]! > s.u32[k]!);
}

function cmp64(f: (d: Lanes, s: Lanes, k: number) => boolean): LaneOp {
  return (d, s, _imm, bytes) => {
    for (let k = 0; k < bytes / 4; k += 2) {
      const v = f(d, s, k) ? -1 : 0;
      d.i32[k] = v;
      d.i32[k + 1] = v;
    }
  };
}

/** Unsigned 32x32 → 64 product halves (lo, hi) into out[k], out[k+1]. */
function mulU32(a: number, b: number, out: Uint32Array, k: number): void {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const lo = al * b; // < 2^48, exact
  const hi = ah * b; // < 2^48, exact
  const low = (lo % 2 ** 32) + (hi % 2 ** 16) * 2 ** 16;
  out[k] = low;
  out[k + 1] = Math.floor(lo / 2 ** 32) + Math.floor(hi / 2 ** 16) + Math.floor(low / 2 ** 32);
}

const pmuludq: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k += 2) mulU32(d.u32[k]!, s.u32[k]!, d.u32, k);
};

const pmuldq: LaneOp = (d, s) => {
  for (let k = 0; k < 4; k += 2) {
    const a = d.i32[k]!;
    const b = s.i32[k]!;
    mulU32(Math.abs(a), Math.abs(b), d.u32, k);
    if (a < 0 !== b < 0 && a !== 0 && b !== 0) {
      // Two's complement negate of the 64-bit product.
      const lo = d.u32[k]!;
      d.u32[k] = -lo;
      d.u32[k + 1] = ~d.u32[k + 1]! + (lo === 0 ? 1 : 0);
    }
  }
};

const pmaddwd: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = d.i16[2 * k]! * s.i16[2 * k]! + d.i16[2 * k + 1]! * s.i16[2 * k + 1]!;
};

const pmaddubsw: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 2; k++) d.i16[k] = sat16(d.u8[2 * k]! * s.i8[2 * k]! + d.u8[2 * k + 1]! * s.i8[2 * k + 1]!);
};

const psadbw: LaneOp = (d, s, _imm, bytes) => {
  for (let q = 0; q < bytes; q += 8) {
    let sum = 0;
    for (let k = q; k < q + 8; k++) sum += Math.abs(d.u8[k]! - s.u8[k]!);
    d.u32[q / 4] = sum;
    d.u32[q / 4 + 1] = 0;
  }
};

const mpsadbw: LaneOp = (d, s, imm) => {
  const t = scratch;
  const so = (imm & 3) * 4;
  const doff = imm & 4;
  for (let i = 0; i < 8; i++) {
    let sum = 0;
    for (let j = 0; j < 4; j++) sum += Math.abs(d.u8[doff + i + j]! - s.u8[so + j]!);
    t.u16[i] = sum;
  }
  d.set(t);
};

/** PACKSS/PACKUS: narrows d's lanes then s's lanes with saturation. */
function pack(from: 2 | 4, signed: boolean): LaneOp {
  return (d, s, _imm, bytes) => {
    const t = scratch;
    const n = bytes / from;
    for (let half = 0; half < 2; half++) {
      const src = half === 0 ? d : s;
      for (let k = 0; k < n; k++) {
        const v = from === 2 ? src.i16[k]! : src.i32[k]!;
        if (from === 2) t.u8[half * n + k] = signed ? sat8(v) : satU8(v);
        else t.u16[half * n + k] = signed ? sat16(v) : satU16(v);
      }
    }
    d.setFirst(t, bytes);
  };
}

/** PUNPCKL/PUNPCKH: interleaves lanes of `width` bytes from the low or high halves. */
function unpack(width: number, high: boolean): LaneOp {
  return (d, s, _imm, bytes) => {
    const t = scratch;
    const half = bytes / 2;
    const base = high ? half : 0;
    for (let k = 0, o = 0; k < half; k += width, o += 2 * width) {
      for (let b = 0; b < width; b++) {
        t.u8[o + b] = d.u8[base + k + b]!;
        t.u8[o + width + b] = s.u8[base + k + b]!;
      }
    }
    d.setFirst(t, bytes);
  };
}

// The hottest operations (glibc's string functions: pcmpeqb, pminub, por, pxor, pand…) are
// written out rather than built by lanewise, so their loops make no per-lane calls.
const pand: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = d.i32[k]! & s.i32[k]!;
};
const pandn: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = ~d.i32[k]! & s.i32[k]!;
};
const por: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = d.i32[k]! | s.i32[k]!;
};
const pxor: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = d.i32[k]! ^ s.i32[k]!;
};
const pcmpeqb: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes; k++) d.u8[k] = d.u8[k] === s.u8[k] ? 0xff : 0;
};
const pminub: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes; k++) if (s.u8[k]! < d.u8[k]!) d.u8[k] = s.u8[k]!;
};
const pmaxub: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes; k++) if (s.u8[k]! > d.u8[k]!) d.u8[k] = s.u8[k]!;
};
const paddb: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes; k++) d.u8[k] = d.u8[k]! + s.u8[k]!;
};
const psubb: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes; k++) d.u8[k] = d.u8[k]! - s.u8[k]!;
};
const paddd: LaneOp = (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = (d.i32[k]! + s.i32[k]!) | 0;
};

/** PSHUFD / PSHUFW (MMX): lanes of the source picked by 2-bit fields of imm. */
const pshufd: LaneOp = (d, s, imm, bytes) => {
  if (bytes === 8) {
    for (let k = 0; k < 4; k++) scratch.u16[k] = s.u16[(imm >> (2 * k)) & 3]!;
    d.setFirst(scratch, 8);
    return;
  }
  for (let k = 0; k < 4; k++) scratch.u32[k] = s.u32[(imm >> (2 * k)) & 3]!;
  d.set(scratch);
};

function pshufWords(high: boolean): LaneOp {
  return (d, s, imm) => {
    const base = high ? 4 : 0;
    scratch.set(s); // s may be d itself
    d.set(scratch);
    for (let k = 0; k < 4; k++) d.u16[base + k] = scratch.u16[base + ((imm >> (2 * k)) & 3)]!;
  };
}

const pshufb: LaneOp = (d, s, _imm, bytes) => {
  const mask = bytes - 1;
  for (let k = 0; k < bytes; k++) {
    const sel = s.u8[k]!;
    scratch.u8[k] = sel & 0x80 ? 0 : d.u8[sel & mask]!;
  }
  d.setFirst(scratch, bytes);
};

const palignr: LaneOp = (d, s, imm, bytes) => {
  // Concatenate d:s (d in the high half) and shift right by imm bytes.
  for (let k = 0; k < bytes; k++) {
    const at = k + imm;
    scratch.u8[k] = at < bytes ? s.u8[at]! : at < 2 * bytes ? d.u8[at - bytes]! : 0;
  }
  d.setFirst(scratch, bytes);
};

const pblendw: LaneOp = (d, s, imm) => {
  for (let k = 0; k < 8; k++) if ((imm >> k) & 1) d.u16[k] = s.u16[k]!;
};

const pblendvb: LaneOp = (d, s) => {
  for (let k = 0; k < 16; k++) if (implicitXmm0.u8[k]! & 0x80) d.u8[k] = s.u8[k]!;
};

/** PHADD/PHSUB: pairs of d then pairs of s. */
function horizontal(width: 2 | 4, f: (a: number, b: number) => number): LaneOp {
  return (d, s, _imm, bytes) => {
    const n = bytes / width;
    const half = n / 2;
    for (let k = 0; k < half; k++) {
      if (width === 2) {
        scratch.i16[k] = f(d.i16[2 * k]!, d.i16[2 * k + 1]!);
        scratch.i16[half + k] = f(s.i16[2 * k]!, s.i16[2 * k + 1]!);
      } else {
        scratch.i32[k] = f(d.i32[2 * k]!, d.i32[2 * k + 1]!);
        scratch.i32[half + k] = f(s.i32[2 * k]!, s.i32[2 * k + 1]!);
      }
    }
    d.setFirst(scratch, bytes);
  };
}

const sign = (a: number, b: number): number => (b < 0 ? -a : b === 0 ? 0 : a);

function abs(width: 1 | 2 | 4): LaneOp {
  return lanewise(width, true, (_a, b) => (b < 0 ? -b : b));
}

const phminposuw: LaneOp = (d, s) => {
  let min = s.u16[0]!;
  let at = 0;
  for (let k = 1; k < 8; k++) {
    if (s.u16[k]! < min) {
      min = s.u16[k]!;
      at = k;
    }
  }
  d.u32.fill(0);
  d.u16[0] = min;
  d.u16[1] = at;
};

/** PMOVSX/PMOVZX: widens the low lanes of s. */
function extend(from: 1 | 2 | 4, to: 2 | 4 | 8, signed: boolean): LaneOp {
  return (d, s) => {
    const n = 16 / to;
    for (let k = 0; k < n; k++) {
      const v = from === 1 ? (signed ? s.i8[k]! : s.u8[k]!) : from === 2 ? (signed ? s.i16[k]! : s.u16[k]!) : signed ? s.i32[k]! : s.u32[k]!;
      if (to === 2) scratch.i16[k] = v;
      else if (to === 4) scratch.i32[k] = v;
      else {
        scratch.i32[2 * k] = v;
        scratch.i32[2 * k + 1] = v < 0 ? -1 : 0;
      }
    }
    d.set(scratch);
  };
}

/** The shift count of a shift-by-register form: the low 64 bits of s, saturated. */
function countOf(s: Lanes): number {
  return s.u32[1] !== 0 ? 0xffff : Math.min(s.u32[0]!, 0xffff);
}

/** PSLL/PSRL/PSRA by an amount (the count already extracted). */
function shiftBy(d: Lanes, count: number, width: 2 | 4 | 8, kind: "l" | "r" | "a", bytes: number): void {
  const bits = width * 8;
  if (width === 8) {
    for (let k = 0; k < bytes / 4; k += 2) {
      const lo = d.u32[k]!;
      const hi = d.u32[k + 1]!;
      let nlo = 0;
      let nhi = 0;
      if (count < 64) {
        if (kind === "l") {
          nlo = count >= 32 ? 0 : lo << count;
          nhi = count >= 32 ? lo << (count - 32) : count === 0 ? hi : (hi << count) | (lo >>> (32 - count));
        } else {
          nhi = count >= 32 ? 0 : hi >>> count;
          nlo = count >= 32 ? hi >>> (count - 32) : count === 0 ? lo : (lo >>> count) | (hi << (32 - count));
        }
      }
      d.u32[k] = nlo;
      d.u32[k + 1] = nhi;
    }
    return;
  }
  const n = bytes / width;
  for (let k = 0; k < n; k++) {
    if (width === 2) {
      const v = d.i16[k]!;
      d.i16[k] = kind === "a" ? v >> Math.min(count, 15) : count >= bits ? 0 : kind === "l" ? v << count : (v & 0xffff) >>> count;
    } else {
      const v = d.i32[k]!;
      d.i32[k] = kind === "a" ? v >> Math.min(count, 31) : count >= bits ? 0 : kind === "l" ? v << count : v >>> count;
    }
  }
}

/** A shift by the count in the source operand (register or memory). */
function shiftReg(width: 2 | 4 | 8, kind: "l" | "r" | "a"): LaneOp {
  return (d, s, _imm, bytes) => shiftBy(d, countOf(s), width, kind, bytes);
}

/** A shift by the immediate; the register is the (only) destination operand. */
function shiftImm(width: 2 | 4 | 8, kind: "l" | "r" | "a"): LaneOp {
  return (d, _s, imm, bytes) => shiftBy(d, imm, width, kind, bytes);
}

function byteShift(left: boolean): LaneOp {
  return (d, _s, imm) => {
    for (let k = 0; k < 16; k++) {
      const from = left ? k - imm : k + imm;
      scratch.u8[k] = from >= 0 && from < 16 ? d.u8[from]! : 0;
    }
    d.set(scratch);
  };
}

/** Integer lane operations keyed by mnemonic; the handler table wraps them. */
export const INTEGER_OPS: Record<string, LaneOp> = {
  paddb,
  paddw: lanewise(2, false, (a, b) => a + b),
  paddd,
  paddq: add64(false),
  psubb,
  psubw: lanewise(2, false, (a, b) => a - b),
  psubd: lanewise(4, false, (a, b) => a - b),
  psubq: add64(true),
  paddsb: lanewise(1, true, (a, b) => sat8(a + b)),
  paddsw: lanewise(2, true, (a, b) => sat16(a + b)),
  paddusb: lanewise(1, false, (a, b) => satU8(a + b)),
  paddusw: lanewise(2, false, (a, b) => satU16(a + b)),
  psubsb: lanewise(1, true, (a, b) => sat8(a - b)),
  psubsw: lanewise(2, true, (a, b) => sat16(a - b)),
  psubusb: lanewise(1, false, (a, b) => satU8(a - b)),
  psubusw: lanewise(2, false, (a, b) => satU16(a - b)),
  pmullw: lanewise(2, true, (a, b) => Math.imul(a, b)),
  pmulhw: lanewise(2, true, (a, b) => (a * b) >> 16),
  pmulhuw: lanewise(2, false, (a, b) => (a * b) >>> 16),
  pmulhrsw: lanewise(2, true, (a, b) => (((a * b) >> 14) + 1) >> 1),
  pmulld: lanewise(4, true, (a, b) => Math.imul(a, b)),
  pmuludq,
  pmuldq,
  pmaddwd,
  pmaddubsw,
  psadbw,
  mpsadbw,
  pavgb: lanewise(1, false, (a, b) => (a + b + 1) >> 1),
  pavgw: lanewise(2, false, (a, b) => (a + b + 1) >> 1),
  pminub,
  pminuw: lanewise(2, false, Math.min),
  pminud: lanewise(4, false, Math.min),
  pminsb: lanewise(1, true, Math.min),
  pminsw: lanewise(2, true, Math.min),
  pminsd: lanewise(4, true, Math.min),
  pmaxub,
  pmaxuw: lanewise(2, false, Math.max),
  pmaxud: lanewise(4, false, Math.max),
  pmaxsb: lanewise(1, true, Math.max),
  pmaxsw: lanewise(2, true, Math.max),
  pmaxsd: lanewise(4, true, Math.max),
  pcmpeqb,
  pcmpeqw: lanewise(2, false, (a, b) => (a === b ? -1 : 0)),
  pcmpeqd: lanewise(4, false, (a, b) => (a === b ? -1 : 0)),
  pcmpeqq: cmp64((d, s, k) => d.u32[k] === s.u32[k] && d.u32[k + 1] === s.u32[k + 1]),
  pcmpgtb: lanewise(1, true, (a, b) => (a > b ? -1 : 0)),
  pcmpgtw: lanewise(2, true, (a, b) => (a > b ? -1 : 0)),
  pcmpgtd: lanewise(4, true, (a, b) => (a > b ? -1 : 0)),
  pcmpgtq: cmp64(greater64),
  packsswb: pack(2, true),
  packssdw: pack(4, true),
  packuswb: pack(2, false),
  packusdw: pack(4, false),
  punpcklbw: unpack(1, false),
  punpcklwd: unpack(2, false),
  punpckldq: unpack(4, false),
  punpcklqdq: unpack(8, false),
  punpckhbw: unpack(1, true),
  punpckhwd: unpack(2, true),
  punpckhdq: unpack(4, true),
  punpckhqdq: unpack(8, true),
  pand,
  pandn,
  por,
  pxor,
  pshufd,
  pshufw: pshufd,
  pshufhw: pshufWords(true),
  pshuflw: pshufWords(false),
  pshufb,
  palignr,
  pblendw,
  pblendvb,
  phaddw: horizontal(2, (a, b) => a + b),
  phaddd: horizontal(4, (a, b) => a + b),
  phaddsw: horizontal(2, (a, b) => sat16(a + b)),
  phsubw: horizontal(2, (a, b) => a - b),
  phsubd: horizontal(4, (a, b) => a - b),
  phsubsw: horizontal(2, (a, b) => sat16(a - b)),
  psignb: lanewise(1, true, sign),
  psignw: lanewise(2, true, sign),
  psignd: lanewise(4, true, sign),
  pabsb: abs(1),
  pabsw: abs(2),
  pabsd: abs(4),
  phminposuw,
  pmovsxbw: extend(1, 2, true),
  pmovsxbd: extend(1, 4, true),
  pmovsxbq: extend(1, 8, true),
  pmovsxwd: extend(2, 4, true),
  pmovsxwq: extend(2, 8, true),
  pmovsxdq: extend(4, 8, true),
  pmovzxbw: extend(1, 2, false),
  pmovzxbd: extend(1, 4, false),
  pmovzxbq: extend(1, 8, false),
  pmovzxwd: extend(2, 4, false),
  pmovzxwq: extend(2, 8, false),
  pmovzxdq: extend(4, 8, false),
  psllw: shiftReg(2, "l"),
  pslld: shiftReg(4, "l"),
  psllq: shiftReg(8, "l"),
  psrlw: shiftReg(2, "r"),
  psrld: shiftReg(4, "r"),
  psrlq: shiftReg(8, "r"),
  psraw: shiftReg(2, "a"),
  psrad: shiftReg(4, "a"),
};

/** The immediate-count shift forms (0F 71-73), keyed by mnemonic. */
export const SHIFT_IMM_OPS: Record<string, LaneOp> = {
  psllw: shiftImm(2, "l"),
  pslld: shiftImm(4, "l"),
  psllq: shiftImm(8, "l"),
  psrlw: shiftImm(2, "r"),
  psrld: shiftImm(4, "r"),
  psrlq: shiftImm(8, "r"),
  psraw: shiftImm(2, "a"),
  psrad: shiftImm(4, "a"),
  pslldq: byteShift(true),
  psrldq: byteShift(false),
};
