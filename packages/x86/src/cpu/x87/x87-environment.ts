// The FNSTENV/FLDENV and FNSAVE/FRSTOR memory images (protected-mode layouts, as 64-bit code
// uses them). Selectors (FCS, FDS) are stored as 0, as on processors that deprecate them.
import { F80 } from "./f80.js";
import type { X87State } from "./x87-state.js";

/** Bytes of the environment image: 28 with a 32/64-bit operand size, 14 with a 16-bit one. */
export function environmentBytes(opsize: number): number {
  return opsize === 2 ? 14 : 28;
}

/** Bytes of the FNSAVE image. */
export function saveBytes(opsize: number): number {
  return environmentBytes(opsize) + 80;
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
}

function put32(b: Uint8Array, o: number, v: number): void {
  put16(b, o, v);
  put16(b, o + 2, v >>> 16);
}

function get16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

/**
 * Writes the environment image. The 32-bit layout (7 dwords): FCW, FSW, FTW (each with the
 * upper 16 bits set, as the host writes them), FIP, FOP<<16 | FCS, FDP, FDS. The 16-bit layout
 * (7 words): FCW, FSW, FTW, FIP, FCS, FDP, FDS.
 */
export function writeEnvironment(x: X87State, b: Uint8Array, o: number, opsize: number): void {
  const words = [x.control, x.statusWord, x.tagWord];
  if (opsize === 2) {
    words.forEach((w, k) => put16(b, o + 2 * k, w));
    put16(b, o + 6, x.lastIp);
    put16(b, o + 8, 0);
    put16(b, o + 10, x.lastDp);
    put16(b, o + 12, 0);
    return;
  }
  words.forEach((w, k) => put32(b, o + 4 * k, (w & 0xffff) | 0xffff0000));
  put32(b, o + 12, x.lastIp % 4294967296);
  put32(b, o + 16, (x.lastOpcode & 0x7ff) << 16);
  put32(b, o + 20, x.lastDp % 4294967296);
  put32(b, o + 24, 0xffff0000);
}

/** Loads an environment image (FLDENV, FRSTOR). */
export function readEnvironment(x: X87State, b: Uint8Array, o: number, opsize: number): void {
  const step = opsize === 2 ? 2 : 4;
  x.setControl(get16(b, o));
  x.statusWord = get16(b, o + step);
  x.tagWord = get16(b, o + 2 * step);
  if (opsize === 2) {
    x.lastIp = get16(b, o + 6);
    x.lastDp = get16(b, o + 10);
    x.lastOpcode = 0;
  } else {
    x.lastIp = (get16(b, o + 12) | (get16(b, o + 14) << 16)) >>> 0;
    x.lastOpcode = get16(b, o + 18) & 0x7ff;
    x.lastDp = (get16(b, o + 20) | (get16(b, o + 22) << 16)) >>> 0;
  }
}

/** Writes the FNSAVE image: the environment, then ST(0)…ST(7) as 10-byte values. */
export function writeSave(x: X87State, b: Uint8Array, o: number, opsize: number): void {
  writeEnvironment(x, b, o, opsize);
  const base = o + environmentBytes(opsize);
  for (let k = 0; k < 8; k++) x.st(k).write(b, base + 10 * k);
}

/** Loads an FNSAVE image (FRSTOR). */
export function readSave(x: X87State, b: Uint8Array, o: number, opsize: number): void {
  readEnvironment(x, b, o, opsize);
  const base = o + environmentBytes(opsize);
  for (let k = 0; k < 8; k++) x.regs[x.phys(k)] = F80.read(b, base + 10 * k);
}
