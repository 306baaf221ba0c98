// The emulated side of the self-checking programs: a BareMachine with the data pages harness.inc
// promises (DATA: two read/write pages, an unmapped page, a read-only page, a writable code page).
import { BareMachine } from "../../src/cpu/bare-machine.js";

/** Addresses shared with harness.inc. */
export const PROGRAM_LAYOUT = {
  data: 0x10000000,
  unmapped: 0x10002000,
  readOnly: 0x10003000,
  writableCode: 0x10004000,
  /** Where a program lists its failed checks: a count, then the numbers (qwords). */
  failures: 0x10000000,
} as const;

/** A machine with `code` loaded at 0x400000, ready to run (registers zero but rsp). */
export function programMachine(code: Uint8Array): BareMachine {
  const machine = new BareMachine({ memoryBytes: 8 << 20 });
  machine.load(code);
  machine.map(PROGRAM_LAYOUT.data, 0x2000, { write: true });
  machine.map(PROGRAM_LAYOUT.readOnly, 0x1000, {});
  machine.map(PROGRAM_LAYOUT.writableCode, 0x1000, { write: true, execute: true });
  machine.cpu.rflags = 2;
  return machine;
}

/** The check numbers a program recorded as failed (harness.inc record_failure). */
export function failedChecks(machine: BareMachine): number[] {
  const view = new DataView(machine.peek(PROGRAM_LAYOUT.failures, 0x400).buffer);
  const count = Number(view.getBigUint64(0, true));
  return Array.from({ length: Math.min(count, 127) }, (_, k) => Number(view.getBigUint64(8 + 8 * k, true)));
}
