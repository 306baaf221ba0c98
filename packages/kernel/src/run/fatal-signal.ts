// What a CPU exception becomes when nothing handles it: the signal Linux would send and a
// one-line description for the person running the program.
import { Vector, type FaultInfo } from "@nanots/x86";

/** Signals a fault becomes (Linux numbers). */
export const Signal = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGSEGV: 11 } as const;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Signal and description per vector; #PF and #UD add details. */
const BY_VECTOR: Record<number, [number, string]> = {
  [Vector.PF]: [Signal.SIGSEGV, "segmentation fault"],
  [Vector.GP]: [Signal.SIGSEGV, "general protection fault"],
  [Vector.SS]: [Signal.SIGBUS, "stack segment fault"],
  [Vector.UD]: [Signal.SIGILL, "illegal instruction"],
  [Vector.DE]: [Signal.SIGFPE, "integer divide error"],
  [Vector.BP]: [Signal.SIGTRAP, "trace/breakpoint trap"],
  [Vector.DB]: [Signal.SIGTRAP, "trace/breakpoint trap"],
  [Vector.AC]: [Signal.SIGBUS, "alignment check"],
  [Vector.MF]: [Signal.SIGFPE, "x87 floating-point exception"],
  [Vector.XM]: [Signal.SIGFPE, "SIMD floating-point exception"],
};

/** The fatal signal for a fault, and what to tell the user. */
export function fatalSignal(fault: FaultInfo, unimplemented: string): { signal: number; what: string } {
  const [signal, name] = BY_VECTOR[fault.vector] ?? [Signal.SIGSEGV, `exception ${fault.vector}`];
  if (fault.vector === Vector.PF) {
    const access = fault.errorCode & 2 ? "write" : fault.errorCode & 16 ? "execute" : "read";
    return { signal, what: `${name} at address ${hex(fault.address)} (${access}, ${fault.errorCode & 1 ? "protection" : "not mapped"})` };
  }
  if (fault.vector === Vector.UD && unimplemented !== "") return { signal, what: `${name} (${unimplemented} is not implemented)` };
  return { signal, what: name };
}
