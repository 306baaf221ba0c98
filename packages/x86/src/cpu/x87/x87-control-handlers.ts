// The x87 control instructions: initialisation, exception clearing, control/status words,
// environment and full-state save/restore, FWAIT, the no-ops, and EMMS.
import type { Cpu } from "../cpu.js";
import type { Handler, Instr } from "../instr.js";
import { OperandKind } from "../../decoder/decoded-instruction.js";
import { environmentBytes, readEnvironment, readSave, saveBytes, writeEnvironment, writeSave } from "./x87-environment.js";
import { record, waiting } from "./x87-support.js";
import type { X87State } from "./x87-state.js";

const image = new Uint8Array(108);

type Image = (x: X87State, b: Uint8Array, o: number, opsize: number) => void;

/** A non-waiting store of a state image (FNSTENV, FNSAVE), then what the instruction does after it. */
function storeImage(write: Image, bytes: (opsize: number) => number, after: (x: X87State) => void): Handler {
  return (cpu, i) => {
    const x = cpu.x87;
    const va = cpu.ea(i);
    write(x, image, 0, i.opsize);
    cpu.writeBytes(va, image, 0, bytes(i.opsize));
    after(x);
  };
}

/** A load of a state image (FLDENV, FRSTOR); an unmasked exception it leaves pending raises #MF at the next waiting instruction. */
function loadImage(read: Image, bytes: (opsize: number) => number): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    const va = cpu.ea(i);
    cpu.readBytes(va, image, 0, bytes(i.opsize));
    read(x, image, 0, i.opsize);
  };
}

/** FNSTSW: to AX (DF E0) or a word in memory. */
function fnstsw(cpu: Cpu, i: Instr): void {
  const x = cpu.x87;
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
  fninit: (cpu) => cpu.x87.reset(),
  fnclex: (cpu) => {
    const x = cpu.x87;
    x.status &= ~0x80ff; // exception flags, SF, ES and B
  },
  fnstcw: (cpu, i) => cpu.write16(cpu.ea(i), cpu.x87.control),
  fldcw: (cpu, i) => {
    const x = waiting(cpu);
    x.setControl(cpu.read16(cpu.ea(i)));
  },
  fnstsw,
  // FNSTENV masks all exceptions after storing; FNSAVE reinitialises.
  fnstenv: storeImage(writeEnvironment, environmentBytes, (x) => x.setControl(x.control | 0x3f)),
  fldenv: loadImage(readEnvironment, environmentBytes),
  fnsave: storeImage(writeSave, saveBytes, (x) => x.reset()),
  frstor: loadImage(readSave, saveBytes),
  fwait: check,
  fnop: check,
  feni8087_nop: check,
  fdisi8087_nop: check,
  fsetpm287_nop: check,
  emms: (cpu) => waiting(cpu).emms(),
};
