// The FXSAVE64 image of the x87 unit and the SSE registers: what a signal frame's fpstate holds
// and rt_sigreturn loads back, so a handler that computes with long double or XMM registers
// leaves the interrupted code's values alone. Also how a new thread copies its parent's unit.
import { X87State, type Cpu } from "@nanots/x86";

/** Bytes of the image (the legacy FXSAVE area). */
export const FXSAVE_SIZE = 512;
/** MXCSR bits a program may set (DAZ included): the image's MXCSR_MASK. */
const MXCSR_MASK = 0xffff;

type F80 = ReturnType<X87State["st"]>;
/** @nanots/x86 keeps its 80-bit number type private; its reader is reached through a value. */
const readF80 = (x: X87State, bytes: Uint8Array, offset: number): F80 =>
  (x.st(0).constructor as unknown as { read(b: Uint8Array, o: number): F80 }).read(bytes, offset);

/** Writes the x87 unit's part of an image (control, status, tags, last instruction, ST0–7). */
function writeX87(x: X87State, out: Uint8Array): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  v.setUint16(0, x.control, true);
  v.setUint16(2, x.statusWord, true);
  v.setUint8(4, x.valid);
  v.setUint16(6, x.lastOpcode & 0x7ff, true);
  v.setBigUint64(8, BigInt(x.lastIp), true);
  v.setBigUint64(16, BigInt(x.lastDp), true);
  out.fill(0, 32, 160);
  for (let k = 0; k < 8; k++) x.st(k).write(out, 32 + 16 * k);
}

/** Loads the x87 unit from an image (TOP comes with the status word, before the registers). */
function readX87(x: X87State, image: Uint8Array): void {
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  x.setControl(v.getUint16(0, true));
  x.statusWord = v.getUint16(2, true);
  x.valid = v.getUint8(4);
  x.lastOpcode = v.getUint16(6, true) & 0x7ff;
  x.lastIp = Number(v.getBigUint64(8, true));
  x.lastDp = Number(v.getBigUint64(16, true));
  for (let k = 0; k < 8; k++) x.regs[x.phys(k)] = readF80(x, image, 32 + 16 * k);
}

/** Saves the vCPU's x87, MXCSR and XMM state into `out` (at least {@link FXSAVE_SIZE} bytes). */
export function saveFpu(cpu: Cpu, out: Uint8Array): void {
  writeX87(cpu.x87, out);
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  v.setUint32(24, cpu.mxcsr, true);
  v.setUint32(28, MXCSR_MASK, true);
  out.set(cpu.xmm, 160);
}

/** Loads the vCPU's x87, MXCSR and XMM state from an image; reserved MXCSR bits are dropped, as Linux masks them. */
export function restoreFpu(cpu: Cpu, image: Uint8Array): void {
  readX87(cpu.x87, image);
  cpu.mxcsr = new DataView(image.buffer, image.byteOffset, image.byteLength).getUint32(24, true) & MXCSR_MASK;
  cpu.xmm.set(image.subarray(160, 160 + 256));
}

/** A copy of an x87 unit: registers, stack top, tags, control and status words. */
export function copyX87(x: X87State): X87State {
  const image = new Uint8Array(FXSAVE_SIZE);
  writeX87(x, image);
  const copy = new X87State();
  readX87(copy, image);
  return copy;
}
