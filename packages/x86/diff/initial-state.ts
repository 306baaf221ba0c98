// The machine state of a case before it runs, expanded from a 32-bit seed. This expansion is
// part of the fixture format (fixtures store only the seed and the generator's patches): change
// it and every fixture must be captured again (bump STATE_VERSION in case-format.ts).
import { DATA_BASE, PAGE as PAGE_SIZE, STACK_BASE } from "./layout.js";

// Copied once: imported bindings can be getters after transpiling, too slow in byte loops.
const PAGE = PAGE_SIZE;
import { Rng } from "./rng.js";
import { defaultX87 } from "./x87-image.js";

/** Registers, flags, SSE state and the two data pages of a case. */
export interface MachineState {
  /** rax … r15, unsigned 64-bit. */
  gpr: BigUint64Array;
  /** RFLAGS (only CF PF AF ZF SF OF DF vary; bit 1 and IF are set). */
  rflags: number;
  mxcsr: number;
  /** xmm0 … xmm15, 16 bytes each, little-endian. */
  xmm: Uint8Array;
  /** The page at DATA_BASE. */
  data: Uint8Array;
  /** The page at STACK_BASE. */
  stack: Uint8Array;
  /** The x87 state as FXSAVE bytes 0–159 (x87-image.ts). */
  x87: Uint8Array;
}

/** Register numbers as the encodings use them. */
export const R = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7 } as const;

const MASK64 = (1n << 64n) - 1n;

// Boundary values of every width, where carries, overflows and sign changes happen.
const EDGES: readonly bigint[] = [
  0n, 1n, 2n, MASK64, MASK64 - 1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fff_ffffn, 0x8000_0000n,
  0xffff_ffffn, 0x1_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffff_0000_0000n,
  0xffff_ffff_ffff_ff80n, 0xffff_ffff_ffff_8000n, 0xffff_ffff_8000_0000n,
];
const EDGE_LO = EDGES.map((v) => Number(v & 0xffff_ffffn));
const EDGE_HI = EDGES.map((v) => Number(v >> 32n));

/** The halves written by {@link edgeHalves} (low, high; unsigned 32-bit). */
let edgeLo = 0;
let edgeHi = 0;

/**
 * A 64-bit value biased toward edge cases (boundaries, small numbers, sign-extended smalls),
 * left in edgeLo/edgeHi: the state expansion runs it thousands of times per case, so no bigint.
 */
function edgeHalves(rng: Rng): void {
  const r = rng.below(10);
  if (r < 3 || r === 7) {
    const k = rng.below(EDGES.length);
    edgeLo = EDGE_LO[k]!;
    edgeHi = EDGE_HI[k]!;
    if (r === 7) {
      const bit = rng.below(64);
      if (bit < 32) edgeLo = (edgeLo ^ (1 << bit)) >>> 0;
      else edgeHi = (edgeHi ^ (1 << (bit - 32))) >>> 0;
    }
  } else if (r < 5) {
    edgeLo = rng.below(64);
    edgeHi = 0;
  } else if (r < 6) {
    edgeLo = (0xffff_ffff - rng.below(64)) >>> 0;
    edgeHi = 0xffff_ffff;
  } else if (r < 7) {
    edgeLo = rng.u32();
    edgeHi = 0;
  } else {
    edgeHi = rng.u32();
    edgeLo = rng.u32();
  }
}

/** A 64-bit value biased toward edge cases: boundaries, small numbers, sign-extended smalls. */
export function edgeValue(rng: Rng): bigint {
  edgeHalves(rng);
  return (BigInt(edgeHi) << 32n) | BigInt(edgeLo);
}

// Float edge patterns: ±0, ±1, ±inf, quiet and signalling NaNs, denormals, max/min normals.
const F32_EDGES = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x00000001, 0x807fffff, 0x7f7fffff, 0x00800000, 0x4b000000];
const F64_EDGES_HI = [0, 0x80000000, 0x3ff00000, 0xbff00000, 0x7ff00000, 0xfff00000, 0x7ff80000, 0xfff80000, 0x7ff00000, 0x00000000, 0x800fffff, 0x7fefffff, 0x00100000, 0x43300000];

/** Fills one 8-byte lane with random bits, two float edges or one double edge. */
function vectorLane(rng: Rng, view: DataView, at: number): void {
  const r = rng.below(4);
  if (r === 0) {
    view.setUint32(at, rng.pick(F32_EDGES), true);
    view.setUint32(at + 4, rng.pick(F32_EDGES), true);
  } else if (r === 1) {
    const k = rng.below(F64_EDGES_HI.length);
    view.setUint32(at, k === 8 || k === 9 ? 1 : 0, true); // signalling NaN, smallest denormal
    view.setUint32(at + 4, F64_EDGES_HI[k]!, true);
  } else if (r === 2) {
    edgeHalves(rng);
    view.setUint32(at, edgeLo, true);
    view.setUint32(at + 4, edgeHi, true);
  } else {
    view.setUint32(at, rng.u32(), true);
    view.setUint32(at + 4, rng.u32(), true);
  }
}

/** Random page bytes with two 8-byte words in every sixteen replaced by edge values. */
function page(rng: Rng): Uint8Array {
  const out = new Uint8Array(PAGE);
  rng.fill(out);
  const view = new DataView(out.buffer);
  for (let chunk = 0; chunk < PAGE; chunk += 128) {
    for (let k = 0; k < 2; k++) {
      const at = chunk + 8 * rng.below(16);
      edgeHalves(rng);
      view.setUint32(at, edgeLo, true);
      view.setUint32(at + 4, edgeHi, true);
    }
  }
  return out;
}

/** The mxcsr of a case: the Linux default 0x1f80 nine times in ten, else random modes. */
function mxcsrValue(rng: Rng): number {
  if (rng.below(10) !== 0) return 0x1f80;
  const rounding = rng.below(4) << 13;
  const masks = rng.chance(0.5) ? 0x1f80 : 0x1f80 & rng.u32();
  const sticky = rng.u32() & 0x3f;
  const ftz = rng.chance(0.3) ? 0x8000 : 0;
  const daz = rng.chance(0.3) ? 0x40 : 0;
  return rounding | masks | sticky | ftz | daz;
}

/** Expands a seed into the initial state (before the generator's patches). */
export function expandState(seed: number): MachineState {
  const rng = new Rng(seed);
  const gpr = new BigUint64Array(16);
  for (let i = 0; i < 16; i++) gpr[i] = edgeValue(rng);
  // RSP points into the middle of the stack page, 8-aligned three times in four.
  gpr[R.rsp] = BigInt(STACK_BASE + 0x800 - 8 * rng.below(64) - (rng.below(4) === 0 ? rng.below(8) : 0));
  let rflags = 0x202;
  for (const bit of [0x1, 0x4, 0x10, 0x40, 0x80, 0x800]) if (rng.chance(0.5)) rflags |= bit;
  if (rng.below(4) === 0) rflags |= 0x400;
  const mxcsr = mxcsrValue(rng);
  const xmm = new Uint8Array(256);
  const xmmView = new DataView(xmm.buffer);
  for (let at = 0; at < 256; at += 8) vectorLane(rng, xmmView, at);
  const data = page(rng);
  const stack = page(rng);
  return { gpr, rflags, mxcsr, xmm, data, stack, x87: defaultX87() };
}

/** Whether an address range lies inside the data page. */
export function inDataPage(address: number, length: number): boolean {
  return address >= DATA_BASE && address + length <= DATA_BASE + PAGE;
}
