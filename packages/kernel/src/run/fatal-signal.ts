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

/** Linux's si_code values for faults. */
const SI_KERNEL = 0x80;
const SEGV_MAPERR = 1;
const SEGV_ACCERR = 2;
const BUS_ADRERR = 2;
const ILL_ILLOPN = 2;

/**
 * What a page fault hit: no mapping (SEGV_MAPERR), a mapping that forbids the access
 * (SEGV_ACCERR), or a file mapping's page wholly past the end of its file (SIGBUS, BUS_ADRERR).
 */
export type PageFaultKind = "not mapped" | "protection" | "past the end of the mapped file";

/** A fault as the signal Linux sends for it. */
export interface FaultSignal {
  signal: number;
  /** siginfo's si_code: SEGV_MAPERR/ACCERR or BUS_ADRERR for page faults, ILL_ILLOPN, FPE_INTDIV, or SI_KERNEL. */
  code: number;
  /** siginfo's si_addr. */
  address: number;
  /** What to tell the user. */
  what: string;
}

/**
 * The signal for a fault at instruction `rip` (as Linux's trap handlers choose si_code and
 * si_addr), and what to tell the user. `page` says what a page fault hit; by default, whether
 * the page was present.
 */
export function fatalSignal(
  fault: FaultInfo,
  rip: number,
  unimplemented: string,
  page: PageFaultKind = fault.errorCode & 1 ? "protection" : "not mapped",
): FaultSignal {
  const [signal, name] = BY_VECTOR[fault.vector] ?? [Signal.SIGSEGV, `exception ${fault.vector}`];
  switch (fault.vector) {
    case Vector.PF: {
      if (page === "past the end of the mapped file") {
        return { signal: Signal.SIGBUS, code: BUS_ADRERR, address: fault.address, what: `bus error at address ${hex(fault.address)} (${page})` };
      }
      const access = fault.errorCode & 2 ? "write" : fault.errorCode & 16 ? "execute" : "read";
      const what = `${name} at address ${hex(fault.address)} (${access}, ${page})`;
      return { signal, code: page === "protection" ? SEGV_ACCERR : SEGV_MAPERR, address: fault.address, what };
    }
    case Vector.UD:
      return { signal, code: ILL_ILLOPN, address: rip, what: unimplemented !== "" ? `${name} (${unimplemented} is not implemented)` : name };
    // A general protection or stack fault, and int3, carry no address: SI_KERNEL, si_addr 0.
    case Vector.GP:
    case Vector.SS:
    case Vector.BP:
      return { signal, code: SI_KERNEL, address: 0, what: name };
    default:
      return { signal, code: 1, address: rip, what: name };
  }
}
