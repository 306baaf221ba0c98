import type { Handler } from "../instr.js";
import { X87_ARITH_HANDLERS } from "./x87-arith-handlers.js";
import { X87_CONTROL_HANDLERS } from "./x87-control-handlers.js";
import { X87_FUNCTION_HANDLERS } from "./x87-function-handlers.js";
import { X87_MOVE_HANDLERS } from "./x87-move-handlers.js";

/**
 * Handlers of every x87 instruction of the opcode data (and EMMS), keyed by the decoder's
 * mnemonic. All exceptions are handled with their masked responses; an exception left unmasked
 * sets ES and raises #MF (Vector.MF) at the next waiting x87 instruction.
 */
export const X87_HANDLERS: Record<string, Handler> = {
  ...X87_ARITH_HANDLERS,
  ...X87_FUNCTION_HANDLERS,
  ...X87_MOVE_HANDLERS,
  ...X87_CONTROL_HANDLERS,
};
