// Everything an instruction could change, captured so a fault can be shown to change nothing.
import type { BareMachine } from "../../src/cpu/bare-machine.js";
import { emulatedFpu, type FpuImage } from "./fpu-image.js";
import { PROGRAM_LAYOUT } from "./program-machine.js";

/** Registers, flags, x87 and SSE state and the read/write data pages of a machine at one moment. */
export interface MachineState {
  gpr: string[];
  rflags: string;
  fpu: FpuImage;
  data: string;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** A copy of the state of `machine`, comparable with toEqual. */
export function captureState(machine: BareMachine): MachineState {
  const { cpu } = machine;
  return {
    gpr: Array.from({ length: 16 }, (_, n) => cpu.getReg(n).toString(16)),
    rflags: cpu.rflags.toString(16),
    fpu: emulatedFpu(cpu),
    data: hex(machine.peek(PROGRAM_LAYOUT.data, 0x2000)),
  };
}
