// The mnemonic → handler table: every instruction family registers its handlers here.
import { Vector } from "./exit.js";
import type { Handler } from "./instr.js";
import { ALU_HANDLERS } from "./integer/alu.js";
import { BIT_HANDLERS } from "./integer/bits.js";
import { BRANCH_HANDLERS } from "./integer/branch.js";
import { EXCHANGE_HANDLERS } from "./integer/exchange.js";
import { MOVE_HANDLERS } from "./integer/move.js";
import { MULTIPLY_HANDLERS } from "./integer/multiply.js";
import { SHIFT_HANDLERS } from "./integer/shift.js";
import { STACK_HANDLERS } from "./integer/stack.js";
import { STRING_HANDLERS } from "./integer/string.js";
import { SYSTEM_HANDLERS } from "./integer/system.js";
import { SHA_HANDLERS } from "./sse/sha.js";
import { SSE_HANDLERS } from "./sse/sse-handlers.js";
import { FXSAVE_HANDLERS } from "./x87/fxsave.js";
import { X87_HANDLERS } from "./x87/x87-handlers.js";

const HANDLERS = new Map<string, Handler>();
for (const table of [
  ALU_HANDLERS,
  BIT_HANDLERS,
  BRANCH_HANDLERS,
  EXCHANGE_HANDLERS,
  MOVE_HANDLERS,
  MULTIPLY_HANDLERS,
  SHIFT_HANDLERS,
  STACK_HANDLERS,
  STRING_HANDLERS,
  SYSTEM_HANDLERS,
  // SSE before x87: both define emms, and the x87 one also delivers a pending #MF.
  SSE_HANDLERS,
  SHA_HANDLERS,
  X87_HANDLERS,
  FXSAVE_HANDLERS,
]) {
  for (const [mnemonic, handler] of Object.entries(table)) HANDLERS.set(mnemonic, handler);
}

/** Whether the CPU implements an instruction (by its decoder mnemonic). */
export function isImplemented(mnemonic: string): boolean {
  return HANDLERS.has(mnemonic);
}

/** The mnemonics the CPU implements. */
export function implementedMnemonics(): string[] {
  return [...HANDLERS.keys()].sort();
}

/** The handler of a mnemonic; an unimplemented instruction raises #UD. */
export function handlerFor(mnemonic: string): Handler {
  return (
    HANDLERS.get(mnemonic) ??
    ((cpu) => {
      cpu.lastUnimplemented = mnemonic;
      cpu.raise(Vector.UD);
    })
  );
}
