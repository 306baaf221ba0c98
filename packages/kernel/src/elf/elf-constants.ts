// Numbers from the System V ABI and its x86-64 supplement that the loader reads.

/** Size of an ELF64 file header. */
export const ELF64_HEADER_SIZE = 64;
/** Size of an ELF64 program header (e_phentsize of every x86-64 program). */
export const ELF64_PHDR_SIZE = 56;
/** e_machine of x86-64. */
export const EM_X86_64 = 62;

/** e_type of a relocatable object file (.o). */
export const ET_REL = 1;
/** A fixed-address executable. */
export const ET_EXEC = 2;
/** A shared object: a position-independent executable (PIE) or an interpreter such as ld.so. */
export const ET_DYN = 3;
/** A core dump. */
export const ET_CORE = 4;

/** Program header type of a loadable segment. */
export const PT_LOAD = 1;
/** The dynamic section. */
export const PT_DYNAMIC = 2;
/** The path of the program interpreter. */
export const PT_INTERP = 3;
/** The program header table itself, as mapped in memory. */
export const PT_PHDR = 6;
/** The thread-local storage template. */
export const PT_TLS = 7;
/** Stack permissions (PF_X: executable stack). */
export const PT_GNU_STACK = 0x6474e551;

/** Segment permission flag (p_flags): executable. */
export const PF_X = 1;
/** Writable. */
export const PF_W = 2;
/** Readable. */
export const PF_R = 4;

/**
 * Linux's bound on program headers: the table may not exceed 64 KiB (1170 entries); beyond
 * that a header is corrupt, and reading it would only waste time.
 */
export const MAX_PHNUM = Math.floor(65536 / ELF64_PHDR_SIZE);
/** The longest interpreter path accepted (PATH_MAX). */
export const MAX_INTERP_LENGTH = 4096;
