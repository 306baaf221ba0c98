// Shared vocabulary of the opcode data file and the generated tables.

/**
 * Opcode maps in table order: legacy maps, the VEX maps, then 3DNow! (0F 0F, whose opcode byte
 * is the imm8 suffix after the operands).
 */
export const MAPS = ["1", "0F", "0F38", "0F3A", "V1", "V2", "V3", "3DNow"] as const;

/** Prefix selector column values, in their encoded order (NF: no F2/F3, 66 is operand size). */
export const PREFIX_SELECTORS = ["-", "NP", "66", "F3", "F2", "NF"] as const;

/** Flag letters in bit order: c p a z s o d i. */
export const FLAG_LETTERS = "cpazsodi";

/** Branch kinds, index 0 meaning "not a branch". */
export const BRANCH_KINDS = ["", "jcc", "jmp", "call", "ret", "loop", "int", "sys"] as const;

/** A branch kind name ("" when the instruction is not a branch). */
export type BranchKind = (typeof BRANCH_KINDS)[number];
