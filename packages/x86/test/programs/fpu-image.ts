// The x87 and SSE state in one comparable shape, from the emulated CPU or from the FXSAVE image
// the host kernel saved at a signal (Intel SDM vol. 1 table 10-2 gives the layout).
import type { Cpu } from "../../src/cpu/cpu.js";

/** Control, status (with TOP), the registers in use, MXCSR and the xmm registers. */
export interface FpuImage {
  control: string;
  status: string;
  /** Bit p set: physical register p is in use (FXSAVE's abridged tag byte). */
  inUse: string;
  /** ST(0)…ST(7) as 80-bit little-endian hex, or "empty". */
  st: string[];
  mxcsr: string;
  xmm: string;
}

const hex16 = (v: number): string => v.toString(16).padStart(4, "0");

/** The state of the emulated CPU. */
export function emulatedFpu(cpu: Cpu): FpuImage {
  const { x87 } = cpu;
  const st = Array.from({ length: 8 }, (_, i) => {
    if (x87.isEmpty(i)) return "empty";
    const { se, hi, lo } = x87.st(i);
    const bytes = Buffer.alloc(10);
    bytes.writeUInt32LE(lo >>> 0, 0);
    bytes.writeUInt32LE(hi >>> 0, 4);
    bytes.writeUInt16LE(se, 8);
    return bytes.toString("hex");
  });
  return {
    control: hex16(x87.control),
    status: hex16(x87.statusWord),
    inUse: x87.valid.toString(2).padStart(8, "0"),
    st,
    mxcsr: cpu.mxcsr.toString(16),
    xmm: Buffer.from(cpu.xmm).toString("hex"),
  };
}

/** The state in a 512-byte FXSAVE image. */
export function hostFpu(fxsave: Buffer): FpuImage {
  const status = fxsave.readUInt16LE(2);
  const top = (status >> 11) & 7;
  const inUse = fxsave[4]!;
  const st = Array.from({ length: 8 }, (_, i) =>
    ((inUse >> ((top + i) & 7)) & 1) === 0 ? "empty" : fxsave.subarray(32 + 16 * i, 42 + 16 * i).toString("hex"),
  );
  return {
    control: hex16(fxsave.readUInt16LE(0)),
    status: hex16(status),
    inUse: inUse.toString(2).padStart(8, "0"),
    st,
    mxcsr: fxsave.readUInt32LE(24).toString(16),
    xmm: fxsave.subarray(160, 160 + 256).toString("hex"),
  };
}
