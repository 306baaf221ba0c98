// Public API of @nanots/kernel: re-exports only.

export { ElfError, type ElfErrorKind } from "./elf/elf-error.js";
export {
  ELF64_HEADER_SIZE,
  ELF64_PHDR_SIZE,
  EM_X86_64,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_REL,
  MAX_INTERP_LENGTH,
  MAX_PHNUM,
  PF_R,
  PF_W,
  PF_X,
  PT_DYNAMIC,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  PT_PHDR,
  PT_TLS,
} from "./elf/elf-constants.js";
export type { ElfImage, LoadSegment, SegmentProtection, TlsTemplate } from "./elf/elf-image.js";
export { parseElf } from "./elf/parse-elf.js";
export {
  PIE_ASLR_RANGE,
  PIE_BASE,
  PROGRAM_LOAD_LIMIT,
  planInterpreterLoad,
  planLoad,
  planProgramLoad,
  type LoadPlan,
  type SegmentMapping,
} from "./elf/load-plan.js";

export * from "./process/auxv-type.js";
export { StackLayoutError } from "./process/stack-layout-error.js";
export {
  buildInitialStack,
  type AuxvValues,
  type InitialStack,
  type InitialStackInput,
} from "./process/build-initial-stack.js";
export { readInitialStack, type ParsedInitialStack, type StackString } from "./process/read-initial-stack.js";
