export { decode } from "./decode.js";
export { DecodeError, DECODE_ERROR_TEXT } from "./decode-error.js";
export { DecodedInstruction, OperandKind, Prefix } from "./decoded-instruction.js";
export { RegClass, registerName } from "./registers.js";
export { BRANCH_KINDS, FLAG_LETTERS, type BranchKind } from "./table-format.js";
