/** Why {@link Cpu.run} returned. */
export const Exit = {
  /** The instruction budget ran out; call run again to continue. */
  Budget: 0,
  /** The guest executed SYSCALL; rip is after it. The embedder handles it and resumes. */
  Syscall: 1,
  /** A fault or trap; details in `cpu.fault`. For faults rip is at the instruction, for int3 after it. */
  Fault: 2,
  /** The guest executed HLT (a privileged instruction in ring 3: reported, never executed). */
  Halt: 3,
} as const;

/** Exception vectors the CPU raises. */
export const Vector = {
  DE: 0,
  DB: 1,
  BP: 3,
  BR: 5,
  UD: 6,
  NM: 7,
  SS: 12,
  GP: 13,
  PF: 14,
  MF: 16,
  AC: 17,
  XM: 19,
} as const;

/** Bits of the #PF error code. */
export const PageFaultCode = {
  Present: 1,
  Write: 2,
  User: 4,
  Reserved: 8,
  Fetch: 16,
} as const;

/** The exception details of the last {@link Exit.Fault}. */
export interface FaultInfo {
  /** A {@link Vector} value. */
  vector: number;
  /** The error code (#PF: {@link PageFaultCode} bits; #GP: 0). */
  errorCode: number;
  /** The faulting linear address for #PF (CR2), else 0. */
  address: number;
}

/**
 * What handlers throw to abandon an instruction. One shared object, so raising a fault
 * allocates nothing; the run loop recognises it by identity.
 */
export const FAULT: { readonly tag: "fault" } = Object.freeze({ tag: "fault" as const });
