// Shared vocabulary of the opcode data file and the generated tables.

/** Opcode maps in table order: legacy maps, then the VEX maps. */
export const MAPS = ["1", "0F", "0F38", "0F3A", "V1", "V2", "V3"] as const;

/** Prefix selector column values, in their encoded order. */
export const PREFIX_SELECTORS = ["-", "NP", "66", "F3", "F2"] as const;

/** Flag letters in bit order: c p a z s o d i. */
export const FLAG_LETTERS = "cpazsodi";

/** Branch kinds, index 0 meaning "not a branch". */
export const BRANCH_KINDS = ["", "jcc", "jmp", "call", "ret", "loop", "int", "sys"] as const;

/** A branch kind name ("" when the instruction is not a branch). */
export type BranchKind = (typeof BRANCH_KINDS)[number];
