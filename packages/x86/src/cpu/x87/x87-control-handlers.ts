// The x87 control instructions: initialisation, exception clearing, control/status words,
// environment and full-state save/restore, FWAIT, the no-ops, and EMMS.
import type { Cpu } from "../cpu.js";
import type { Handler, Instr } from "../instr.js";
import { OperandKind } from "../../decoder/decoded-instruction.js";
import { environmentBytes, readEnvironment, readSave, saveBytes, writeEnvironment, writeSave } from "./x87-environment.js";
import { fpu, record, waiting } from "./x87-support.js";

const image = new Uint8Array(108);

/** FNSTENV: stores the environment, then masks all exceptions (as the hardware does). */
function fnstenv(cpu: Cpu, i: Instr): void {
  const x = fpu(cpu);
  const va = cpu.ea(i);
  const n = environmentBytes(i.opsize);
  writeEnvironment(x, image, 0, i.opsize);
  cpu.writeBytes(va, image, 0, n);
  x.setControl(x.control | 0x3f);
}

/** FLDENV: loads the environment (an unmasked exception it leaves pending raises #MF at the next waiting instruction). */
function fldenv(cpu: Cpu, i: Instr): void {
  const x = waiting(cpu);
  const va = cpu.ea(i);
  cpu.readBytes(va, image, 0, environmentBytes(i.opsize));
  readEnvironment(x, image, 0, i.opsize);
}

/** FNSAVE: stores the whole state, then reinitialises the FPU. */
function fnsave(cpu: Cpu, i: Instr): void {
  const x = fpu(cpu);
  const va = cpu.ea(i);
  writeSave(x, image, 0, i.opsize);
  cpu.writeBytes(va, image, 0, saveBytes(i.opsize));
  x.reset();
}

/** FRSTOR: loads the whole state. */
function frstor(cpu: Cpu, i: Instr): void {
  const x = waiting(cpu);
  const va = cpu.ea(i);
  cpu.readBytes(va, image, 0, saveBytes(i.opsize));
  readSave(x, image, 0, i.opsize);
}

/** FNSTSW: to AX (DF E0) or a word in memory. */
function fnstsw(cpu: Cpu, i: Instr): void {
  const x = fpu(cpu);
  if (i.k0 === OperandKind.Register) cpu.writeGpr(i.r0, x.statusWord);
  else cpu.write16(cpu.ea(i), x.statusWord);
}

/** A waiting instruction that only checks for pending exceptions (FWAIT, FNOP and the 287 no-ops). */
function check(cpu: Cpu, i: Instr): void {
  const x = waiting(cpu);
  if (i.opcode !== 0x9b) record(x, i);
}

/** Control handlers by mnemonic. */
export const X87_CONTROL_HANDLERS: Record<string, Handler> = {
  fninit: (cpu) => fpu(cpu).reset(),
  fnclex: (cpu) => {
    const x = fpu(cpu);
    x.status &= ~0x80ff; // exception flags, SF, ES and B
  },
  fnstcw: (cpu, i) => cpu.write16(cpu.ea(i), fpu(cpu).control),
  fldcw: (cpu, i) => {
    const x = waiting(cpu);
    x.setControl(cpu.read16(cpu.ea(i)));
  },
  fnstsw,
  fnstenv,
  fldenv,
  fnsave,
  frstor,
  fwait: check,
  fnop: check,
  feni8087_nop: check,
  fdisi8087_nop: check,
  fsetpm287_nop: check,
  emms: (cpu) => waiting(cpu).emms(),
};
