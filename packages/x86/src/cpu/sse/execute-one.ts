// Runs one instruction on a BareMachine's CPU, through the core's dispatch when it knows the
// mnemonic and through SSE_HANDLERS directly otherwise (so the SSE code is testable before
// the core registers it). Test support; not part of the public API.
import { decode } from "../../decoder/decode.js";
import { DecodedInstruction } from "../../decoder/decoded-instruction.js";
import type { BareMachine } from "../bare-machine.js";
import { Exit, FAULT } from "../exit.js";
import { isImplemented } from "../handlers.js";
import { Instr } from "../instr.js";
import { SSE_HANDLERS } from "./sse-handlers.js";

const decoded = new DecodedInstruction();

/**
 * Writes `code` at `at` (mapped writable and executable, so the write drops any decoded copy
 * of the old bytes), runs its first instruction and returns the Exit.
 */
export function executeOne(m: BareMachine, code: Uint8Array, at: number): number {
  const cpu = m.cpu;
  cpu.writeBytes(at, code, 0, code.length);
  cpu.rip = at;
  decode(decoded, code, 0, at);
  if (isImplemented(decoded.mnemonic)) return cpu.run(1);
  const handler = SSE_HANDLERS[decoded.mnemonic];
  if (handler === undefined) throw new Error(`no handler for "${decoded.mnemonic}"`);
  const instr = new Instr(decoded, handler);
  cpu.rip = instr.next;
  try {
    handler(cpu, instr);
  } catch (e) {
    if (e !== FAULT) throw e;
    cpu.rip = instr.ip;
    return Exit.Fault;
  }
  return Exit.Budget;
}
