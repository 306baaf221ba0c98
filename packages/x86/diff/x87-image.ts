// The x87 part of a case's state, kept as the first 160 bytes of an FXSAVE image (FCW, FSW,
// abridged FTW, FOP/FIP/FDP, MXCSR, ST0–ST7), which is what the harness loads and saves.
import { Rng } from "./rng.js";

/** Bytes of the FXSAVE prefix a case carries. */
export const X87_IMAGE_BYTES = 160;
/** Offsets in the image. */
export const X87 = { fcw: 0, fsw: 2, ftw: 4, st: 32 } as const;

/** The state after FNINIT: FCW 0x37f, everything else empty or zero. */
export function defaultX87(): Uint8Array {
  const image = new Uint8Array(X87_IMAGE_BYTES);
  image[X87.fcw] = 0x7f;
  image[X87.fcw + 1] = 0x03;
  return image;
}

// Edge 80-bit values as [sign/exponent, high 32 bits of the significand, low 32 bits].
const F80_EDGES: ReadonlyArray<[number, number, number]> = [
  [0, 0, 0], [0x8000, 0, 0], [0x3fff, 0x80000000, 0], [0xbfff, 0x80000000, 0], [0x7fff, 0x80000000, 0],
  [0xffff, 0x80000000, 0], [0x7fff, 0xc0000000, 0], [0x7fff, 0x80000000, 1], [0x0000, 0x00000001, 0],
  [0x0000, 0x80000000, 0], [0x7ffe, 0xffffffff, 0xffffffff], [0x0001, 0x80000000, 0], [0x401e, 0xffffffff, 0],
  [0x403e, 0x80000000, 0],
];

/**
 * A random x87 state for x87 cases, from its own stream of the seed (expandState's is left
 * alone): the default control word mostly, TOP anywhere, some registers in use holding edge or
 * random values. No exception flag is pending, so the first x87 instruction does not trap.
 */
export function expandX87(seed: number): Uint8Array {
  const rng = new Rng(seed ^ 0x8087_8087);
  const image = defaultX87();
  const view = new DataView(image.buffer);
  if (rng.chance(0.2)) {
    // Another precision or rounding control, sometimes an unmasked exception.
    const masks = rng.chance(0.7) ? 0x3f : rng.u32() & 0x3f;
    view.setUint16(X87.fcw, 0x40 | masks | (rng.below(4) << 8) | (rng.below(4) << 10), true);
  }
  const top = rng.below(8);
  const conditions = rng.u32() & 0x4700;
  view.setUint16(X87.fsw, conditions | (top << 11), true);
  // ST(0)..ST(n-1) in use, as a stack is; their physical registers are TOP..TOP+n-1.
  const used = rng.below(9);
  let tags = 0;
  for (let i = 0; i < 8; i++) {
    const at = X87.st + 16 * i;
    if (i < used) tags |= 1 << ((top + i) & 7);
    let se: number, hi: number, lo: number;
    if (rng.chance(0.5)) [se, hi, lo] = rng.pick(F80_EDGES);
    else [se, hi, lo] = [(rng.chance(0.5) ? 0x8000 : 0) | (0x3fff - 70 + rng.below(140)), (rng.u32() | 0x80000000) >>> 0, rng.u32()];
    view.setUint32(at, lo, true);
    view.setUint32(at + 4, hi, true);
    view.setUint16(at + 8, se, true);
  }
  image[X87.ftw] = tags;
  return image;
}
