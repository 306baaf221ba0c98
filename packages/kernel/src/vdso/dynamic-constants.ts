// Numbers of the gABI and GNU extensions for dynamic objects that the vDSO image uses.

/** Dynamic tags (d_tag). */
export const DT = {
  NULL: 0,
  HASH: 4,
  STRTAB: 5,
  SYMTAB: 6,
  STRSZ: 10,
  SYMENT: 11,
  SONAME: 14,
  GNU_HASH: 0x6ffffef5,
  VERSYM: 0x6ffffff0,
  VERDEF: 0x6ffffffc,
  VERDEFNUM: 0x6ffffffd,
} as const;

/** Section types (sh_type). */
export const SHT = {
  NULL: 0,
  PROGBITS: 1,
  STRTAB: 3,
  HASH: 5,
  DYNAMIC: 6,
  NOTE: 7,
  DYNSYM: 11,
  GNU_HASH: 0x6ffffff6,
  GNU_VERDEF: 0x6ffffffd,
  GNU_VERSYM: 0x6fffffff,
} as const;

/** Section flags (sh_flags). */
export const SHF_ALLOC = 2;
/** Section flag: executable code. */
export const SHF_EXECINSTR = 4;

/** Program header type of notes. */
export const PT_NOTE = 4;

/** Symbol binding (high nibble of st_info). */
export const STB_GLOBAL = 1;
/** A weak symbol. */
export const STB_WEAK = 2;
/** Symbol type (low nibble of st_info): code. */
export const STT_FUNC = 2;

/** Size of an ELF64 symbol, dynamic entry, section header, verdef and verdaux. */
export const SYM_SIZE = 24;
/** Size of one ELF64 dynamic entry (d_tag, d_val). */
export const DYN_SIZE = 16;
/** Size of one ELF64 section header. */
export const SHDR_SIZE = 64;
/** Size of one Elf64_Verdef. */
export const VERDEF_SIZE = 20;
/** Size of one Elf64_Verdaux. */
export const VERDAUX_SIZE = 8;
/** vd_flags of the version definition that names the object itself. */
export const VER_FLG_BASE = 1;
