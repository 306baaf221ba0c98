import { DecodeError } from "./decode-error.js";

/** What an operand slot holds. */
export const OperandKind = {
  None: 0,
  /** A register: `operandRegister[i]`. */
  Register: 1,
  /** The memory operand: `memoryBase`, `memoryIndex`, `memoryScale`, `memoryDisplacement`. */
  Memory: 2,
  /** An immediate: `immediate` (low 32 bits) and `immediateHigh`. */
  Immediate: 3,
  /** The second immediate of ENTER. */
  Immediate2: 4,
  /** A near branch target address: `branchTarget`. */
  BranchTarget: 5,
  /** The implicit source string operand [rsi] (segment ds unless overridden). */
  StringSource: 6,
  /** The implicit destination string operand es:[rdi]. */
  StringDestination: 7,
  /** An absolute memory offset (moffs of MOV A0-A3): `immediate`/`immediateHigh`. */
  MemoryOffset: 8,
  /** The constant 1 of the shift-by-one forms. */
  ConstantOne: 9,
  /** A far pointer (CALL/JMP ptr16:32 outside 64-bit mode): offset in `immediate`, selector in `immediate2`. */
  FarPointer: 10,
} as const;

/** Prefix bits in {@link DecodedInstruction.prefixes}. */
export const Prefix = {
  Lock: 1,
  Rep: 2,
  Repne: 4,
  OperandSize: 8,
  AddressSize: 16,
  Rex: 32,
  Vex: 64,
  Segment: 128,
} as const;

/**
 * One decoded instruction. A decoder fills the same record again and again, so decoding
 * allocates nothing; copy fields out if you need to keep them.
 */
export class DecodedInstruction {
  /** Bytes consumed (for an invalid encoding: the bytes examined before deciding). */
  length = 0;
  /** A {@link DecodeError} value; 0 when the instruction is valid. */
  error: number = DecodeError.None;
  /** Address of the first byte. */
  ip = 0;
  /** The mode it was decoded in: 64 (64-bit mode) or 32 (32-bit protected or compatibility mode). */
  bits: 64 | 32 = 64;
  /** Index of the matched form in the generated tables (-1 if none). */
  form = -1;
  /** Mnemonic as objdump prints it in Intel syntax ("" when invalid). */
  mnemonic = "";
  /** Opcode map: 0 one-byte, 1 0F, 2 0F38, 3 0F3A, 4-6 the VEX maps. */
  map = 0;
  /** The opcode byte within its map. */
  opcode = 0;
  /** The ModRM byte, or -1 when the instruction has none. */
  modrm = -1;
  /** {@link Prefix} bits. */
  prefixes = 0;
  /** The prefix byte the matched form requires (0x66, 0xf3, 0xf2) or 0; it is not a modifier. */
  mandatoryPrefix = 0;
  /** The REX byte when some of its W/R/X/B bits had no effect (objdump then prints "rex.WRXB"), else 0. */
  unusedRex = 0;
  /** 66 prefixes that had no effect (objdump prints each as "data16"). */
  unusedOperandSizePrefixes = 0;
  /** 66 prefixes beyond the first (objdump prints each as "data16"). */
  extraOperandSizePrefixes = 0;
  /** Last segment override prefix byte (0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65) or 0. */
  segmentPrefix = 0;
  /** The REX byte, or 0. */
  rex = 0;
  /** VEX.L (0 or 1). */
  vexL = 0;
  /** VEX.W (0 or 1). */
  vexW = 0;
  /** VEX.vvvv, already inverted (the register number it names). */
  vexV = 0;
  /** Operand size in bytes (2, 4 or 8). */
  operandSize = 4;
  /** Address size in bytes (2, 4 or 8). */
  addressSize = 8;
  /** Number of explicit operands. */
  operandCount = 0;
  /** {@link OperandKind} of each operand. */
  readonly operandKind = new Uint8Array(5);
  /** Register id of each register operand (see `registerName`). */
  readonly operandRegister = new Uint16Array(5);
  /** Size in bytes of each operand (0 when it has no size, such as LEA's memory). */
  readonly operandBytes = new Uint8Array(5);
  /** Base register id of the memory operand (0: none; rip for RIP-relative). */
  memoryBase = 0;
  /** Index register id of the memory operand (0: none). */
  memoryIndex = 0;
  /** Index scale: 1, 2, 4 or 8. */
  memoryScale = 1;
  /** Signed displacement. */
  memoryDisplacement = 0;
  /** Bytes of displacement in the encoding (0, 1 or 4). */
  displacementBytes = 0;
  /** Low 32 bits of the immediate (unsigned). */
  immediate = 0;
  /** High 32 bits of the immediate (sign or zero extension to the operand size). */
  immediateHigh = 0;
  /** The second immediate (ENTER's nesting level). */
  immediate2 = 0;
  /** Target address of a relative branch. */
  branchTarget = 0;
  /** Flags read, one bit per letter of "cpazsodi". */
  flagsRead = 0;
  /** Flags written or left undefined, one bit per letter of "cpazsodi". */
  flagsWritten = 0;
  /** Branch kind index into BRANCH_KINDS (0: not a branch). */
  branchKind = 0;
  /** ISA extension the instruction needs (such as "SSE2"; "BASE" for the original ISA). */
  extension = "";
}
