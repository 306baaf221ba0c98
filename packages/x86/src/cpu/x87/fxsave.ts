// FXSAVE/FXRSTOR and the XSAVE family for the x87 and SSE components (XCR0 = 3), as glibc's
// lazy binding trampoline and Go's signal code use them, and XGETBV.
import type { Cpu } from "../cpu.js";
import { Vector } from "../exit.js";
import type { Handler, Instr } from "../instr.js";
import { F80 } from "./f80.js";
import { X87State } from "./x87-state.js";

/** The XSAVE features enabled: x87 (bit 0) and SSE (bit 1). */
export const XCR0 = 3;
/** MXCSR bits that may be set (DAZ included), reported as MXCSR_MASK. */
export const MXCSR_MASK = 0xffff;

/** Bytes of the legacy FXSAVE region that FXSAVE writes (the rest of the 512 are left alone). */
const LEGACY_BYTES = 416;
/** Legacy region plus the XSAVE header. */
const XSAVE_BYTES = 576;
const HEADER = 512;

const buffer = new Uint8Array(XSAVE_BYTES);
const view = new DataView(buffer.buffer);

function writeX87(x: X87State, wide: boolean): void {
  view.setUint16(0, x.control, true);
  view.setUint16(2, x.statusWord, true);
  view.setUint8(4, x.valid);
  view.setUint8(5, 0);
  view.setUint16(6, x.lastOpcode & 0x7ff, true);
  if (wide) {
    view.setBigUint64(8, BigInt(x.lastIp), true);
    view.setBigUint64(16, BigInt(x.lastDp), true);
  } else {
    // 32-bit pointers, each followed by a zero selector (FCS/FDS) and a reserved word.
    view.setUint32(8, x.lastIp % 4294967296, true);
    view.setUint32(12, 0, true);
    view.setUint32(16, x.lastDp % 4294967296, true);
    view.setUint32(20, 0, true);
  }
  buffer.fill(0, 32, 160);
  for (let k = 0; k < 8; k++) x.st(k).write(buffer, 32 + 16 * k);
}

function readX87(x: X87State, wide: boolean): void {
  x.setControl(view.getUint16(0, true));
  x.statusWord = view.getUint16(2, true);
  x.valid = view.getUint8(4);
  x.lastOpcode = view.getUint16(6, true) & 0x7ff;
  x.lastIp = wide ? Number(view.getBigUint64(8, true)) : view.getUint32(8, true);
  x.lastDp = wide ? Number(view.getBigUint64(16, true)) : view.getUint32(16, true);
  for (let k = 0; k < 8; k++) x.regs[x.phys(k)] = F80.read(buffer, 32 + 16 * k);
}

function writeMxcsr(cpu: Cpu): void {
  view.setUint32(24, cpu.mxcsr, true);
  view.setUint32(28, MXCSR_MASK, true);
}

/** Loads MXCSR from the image; reserved bits set raise #GP before anything changes. */
function checkMxcsr(cpu: Cpu): number {
  const m = view.getUint32(24, true);
  if (m & ~MXCSR_MASK) cpu.raise(Vector.GP);
  return m;
}

function alignedAddress(cpu: Cpu, i: Instr, alignment: number): number {
  const va = cpu.ea(i);
  if (va % alignment !== 0) cpu.raise(Vector.GP);
  return va;
}

/** FXSAVE / FXSAVE64: the 512-byte image (64-bit pointers with REX.W); #GP unless 16-byte aligned. */
function fxsave(cpu: Cpu, i: Instr): void {
  const va = alignedAddress(cpu, i, 16);
  writeX87(cpu.x87, i.opsize === 8);
  writeMxcsr(cpu);
  buffer.set(cpu.xmm, 160);
  cpu.writeBytes(va, buffer, 0, LEGACY_BYTES);
}

/** FXRSTOR / FXRSTOR64; #GP unless 16-byte aligned or when MXCSR has reserved bits set. */
function fxrstor(cpu: Cpu, i: Instr): void {
  const va = alignedAddress(cpu, i, 16);
  cpu.readBytes(va, buffer, 0, LEGACY_BYTES);
  const mxcsr = checkMxcsr(cpu);
  readX87(cpu.x87, i.opsize === 8);
  cpu.mxcsr = mxcsr;
  cpu.xmm.set(buffer.subarray(160, LEGACY_BYTES));
}

/** Bytes of an FXSAVE image. */
export const FXSAVE_IMAGE_BYTES = 512;

/**
 * Writes the vCPU's x87 unit, MXCSR and XMM registers as an FXSAVE64 image (what a kernel puts
 * in a signal frame's fpstate) into the first {@link FXSAVE_IMAGE_BYTES} of `out`.
 */
export function saveFpuImage(cpu: Cpu, out: Uint8Array): void {
  writeX87(cpu.x87, true);
  writeMxcsr(cpu);
  buffer.set(cpu.xmm, 160);
  out.set(buffer.subarray(0, LEGACY_BYTES));
  out.fill(0, LEGACY_BYTES, FXSAVE_IMAGE_BYTES);
}

/** Loads the vCPU's x87 unit, MXCSR and XMM registers from an FXSAVE64 image; reserved MXCSR bits are dropped (a kernel masks them rather than fault). */
export function loadFpuImage(cpu: Cpu, image: Uint8Array): void {
  buffer.set(image.subarray(0, LEGACY_BYTES));
  readX87(cpu.x87, true);
  cpu.mxcsr = view.getUint32(24, true) & MXCSR_MASK;
  cpu.xmm.set(buffer.subarray(160, LEGACY_BYTES));
}

/** An independent copy of an x87 unit (registers, stack top, tags, control and status words). */
export function copyX87State(x: X87State): X87State {
  writeX87(x, true);
  const copy = new X87State();
  readX87(copy, true);
  return copy;
}

/** The requested-feature bitmap: EDX:EAX & XCR0 (only the low bits matter here). */
function requested(cpu: Cpu): number {
  return cpu.gpr[0]! & XCR0;
}

/** XSAVE, XSAVEOPT (which may skip unmodified state; it saves everything here) and XSAVEC. */
function xsave(compacted: boolean): Handler {
  return (cpu, i) => {
    const va = alignedAddress(cpu, i, 64);
    cpu.checkWritable(va, XSAVE_BYTES);
    const rfbm = requested(cpu);
    cpu.readBytes(va, buffer, 0, XSAVE_BYTES);
    if (rfbm & 1) writeX87(cpu.x87, i.opsize === 8);
    if (rfbm & 2) {
      writeMxcsr(cpu);
      buffer.set(cpu.xmm, 160);
    }
    // Both components are always "in use", so XSTATE_BV records exactly what was saved.
    const old = view.getUint32(HEADER, true);
    view.setUint32(HEADER, compacted ? rfbm : (old & ~XCR0) | rfbm, true);
    if (compacted) {
      view.setUint32(HEADER + 4, 0, true);
      view.setUint32(HEADER + 8, rfbm, true);
      view.setUint32(HEADER + 12, 0x80000000, true);
      buffer.fill(0, HEADER + 16, XSAVE_BYTES);
    }
    cpu.writeBytes(va, buffer, 0, XSAVE_BYTES);
  };
}

/** XRSTOR (standard and compacted images): components not in XSTATE_BV return to their initial state. */
function xrstor(cpu: Cpu, i: Instr): void {
  const va = alignedAddress(cpu, i, 64);
  cpu.readBytes(va, buffer, 0, XSAVE_BYTES);
  const stateLo = view.getUint32(HEADER, true);
  const stateHi = view.getUint32(HEADER + 4, true);
  const compLo = view.getUint32(HEADER + 8, true);
  const compHi = view.getUint32(HEADER + 12, true);
  if (stateHi !== 0 || stateLo & ~XCR0) cpu.raise(Vector.GP);
  if (compHi & 0x80000000) {
    if ((compHi & 0x7fffffff) !== 0 || compLo & ~XCR0 || stateLo & ~compLo) cpu.raise(Vector.GP);
  } else {
    if (compLo !== 0 || compHi !== 0) cpu.raise(Vector.GP);
    for (let k = HEADER + 16; k < XSAVE_BYTES; k++) if (buffer[k] !== 0) cpu.raise(Vector.GP);
  }
  const rfbm = requested(cpu);
  const compacted = (compHi & 0x80000000) !== 0;
  // The standard form always loads MXCSR with SSE; the compacted one initialises it with SSE.
  const mxcsr = !(rfbm & 2) ? cpu.mxcsr : compacted && !(stateLo & 2) ? 0x1f80 : checkMxcsr(cpu);
  const x = cpu.x87;
  if (rfbm & 1) {
    if (stateLo & 1) readX87(x, i.opsize === 8);
    else {
      x.reset();
      x.regs.fill(new F80(0, 0, 0));
    }
  }
  if (rfbm & 2) {
    cpu.mxcsr = mxcsr;
    if (stateLo & 2) cpu.xmm.set(buffer.subarray(160, LEGACY_BYTES));
    else cpu.xmm.fill(0);
  }
}

/** XGETBV: ECX = 0 reads XCR0; any other register raises #GP. */
function xgetbv(cpu: Cpu): void {
  const g = cpu.gpr;
  if (g[2]! !== 0) cpu.raise(Vector.GP);
  g[0] = XCR0;
  g[1] = 0;
  g[4] = 0;
  g[5] = 0;
}

/** FXSAVE/XSAVE family handlers by mnemonic. */
export const FXSAVE_HANDLERS: Record<string, Handler> = {
  fxsave,
  fxsave64: fxsave,
  fxrstor,
  fxrstor64: fxrstor,
  xsave: xsave(false),
  xsave64: xsave(false),
  xsaveopt: xsave(false),
  xsaveopt64: xsave(false),
  xsavec: xsave(true),
  xsavec64: xsave(true),
  xrstor,
  xrstor64: xrstor,
  xgetbv,
  // Writing XCR0 needs ring 0.
  xsetbv: (cpu) => cpu.raise(Vector.GP),
};
