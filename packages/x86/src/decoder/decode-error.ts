/**
 * Why an encoding is not a valid instruction. `None` means it decoded. Every other value makes
 * the CPU raise #UD, except `Truncated` (the bytes ended early: fetch more or #PF) and
 * `Unsupported` (a valid encoding outside what this decoder knows, such as EVEX).
 */
export const DecodeError = {
  None: 0,
  /** The buffer ended inside the instruction. */
  Truncated: 1,
  /** The instruction would be longer than 15 bytes. */
  TooLong: 2,
  /** No instruction has this opcode (with these mandatory prefixes). */
  InvalidOpcode: 3,
  /** The opcode exists only with another ModRM.reg value (group extension). */
  InvalidGroupEncoding: 4,
  /** The instruction needs a memory operand but ModRM selects a register, or the reverse. */
  InvalidModrmForm: 5,
  /** The opcode is not valid in 64-bit mode. */
  InvalidIn64BitMode: 6,
  /** LOCK on an instruction that cannot be locked, or on a register destination. */
  LockNotAllowed: 7,
  /** A VEX prefix after 66/F2/F3/LOCK/REX prefixes. */
  VexAfterPrefix: 8,
  /**
   * The instruction requires VEX.L or VEX.W to have another value, or VEX.R / VEX.vvvv name a
   * register beyond k7 / tmm7.
   */
  InvalidVexField: 9,
  /** VEX.vvvv must be 1111b for this instruction. */
  VexVvvvNotUnused: 10,
  /** Valid x86 but outside this decoder's tables (EVEX, XOP, 3DNow!). */
  Unsupported: 11,
} as const;

/** Human-readable text for each {@link DecodeError} value. */
export const DECODE_ERROR_TEXT: readonly string[] = [
  "ok",
  "instruction truncated by the end of the buffer",
  "instruction longer than 15 bytes",
  "invalid opcode",
  "invalid ModRM.reg extension for this opcode",
  "invalid ModRM form (memory operand required or not allowed)",
  "opcode not valid in 64-bit mode",
  "LOCK prefix not allowed",
  "VEX prefix after a 66/F2/F3/LOCK/REX prefix",
  "VEX.L, VEX.W, VEX.R or VEX.vvvv value not allowed",
  "VEX.vvvv must be 1111b",
  "encoding not supported by this decoder (EVEX, XOP or 3DNow!)",
];
