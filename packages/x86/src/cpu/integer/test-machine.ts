// Test support for the integer handlers: runs one instruction's bytes in a BareMachine with a
// data page mapped (and the pages around it not), and reports how it ended.
import { BareMachine, BARE_LAYOUT } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";

/** The writable data page the tests address; the pages before and after it are unmapped. */
export const DATA = BARE_LAYOUT.data;

/** Register numbers by name, for readable tests. */
export const R = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7, r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15 } as const;

/** How a test run ended: `fault` is undefined when the code ran to its closing int3. */
export interface Outcome {
  m: BareMachine;
  fault: { vector: number; errorCode: number; address: number } | undefined;
  /** rip relative to the start of the code. */
  ripOffset: number;
}

/** Parses hex bytes ("48 8b 03" or "488b03"). */
export function bytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/**
 * Runs `code` (hex) followed by int3 with the given registers (unsigned 64-bit values), flags
 * and data-page bytes, in the interpreter (compileBlocks off, so the handlers themselves run).
 */
export function run(code: string, regs: Partial<Record<keyof typeof R, bigint>> = {}, setup: (m: BareMachine) => void = () => {}, rflags = 0x202): Outcome {
  const m = new BareMachine({ memoryBytes: 4 << 20 });
  m.cpu.compileBlocks = false;
  const text = bytes(code);
  const withTrap = new Uint8Array(text.length + 1);
  withTrap.set(text);
  withTrap[text.length] = 0xcc;
  m.load(withTrap);
  m.map(DATA, 4096, { write: true });
  for (const [name, v] of Object.entries(regs)) m.cpu.setReg(R[name as keyof typeof R], v);
  m.cpu.rflags = rflags;
  setup(m);
  const exit = m.runToExit(1000);
  if (exit !== Exit.Fault) throw new Error(`run ended with exit ${exit}`);
  const f = m.cpu.fault;
  const ripOffset = m.cpu.rip - BARE_LAYOUT.code;
  const trapped = f.vector === Vector.BP && ripOffset === text.length + 1;
  return { m, fault: trapped ? undefined : { ...f }, ripOffset };
}
