// Auxiliary vector entry types (a_type) from Linux's include/uapi/linux/auxvec.h and the
// x86 additions; the kernel hands these to the program after its environment.

/** End of the vector. */
export const AT_NULL = 0;
/** Address of the program headers. */
export const AT_PHDR = 3;
/** Size of one program header. */
export const AT_PHENT = 4;
/** Number of program headers. */
export const AT_PHNUM = 5;
/** Page size. */
export const AT_PAGESZ = 6;
/** Load address of the interpreter (0 without one). */
export const AT_BASE = 7;
/** Flags (always 0). */
export const AT_FLAGS = 8;
/** Entry point of the program (not of the interpreter). */
export const AT_ENTRY = 9;
/** Real user id. */
export const AT_UID = 11;
/** Effective user id. */
export const AT_EUID = 12;
/** Real group id. */
export const AT_GID = 13;
/** Effective group id. */
export const AT_EGID = 14;
/** Address of the platform string ("x86_64"). */
export const AT_PLATFORM = 15;
/** CPUID leaf 1 EDX feature bits. */
export const AT_HWCAP = 16;
/** Clock ticks per second for times(2). */
export const AT_CLKTCK = 17;
/** Non-zero for setuid-like secure mode. */
export const AT_SECURE = 23;
/** Address of 16 random bytes (stack protector and pointer guard seeds). */
export const AT_RANDOM = 25;
/** More feature bits (x86: ring-3 MONITOR/MWAIT, FSGSBASE). */
export const AT_HWCAP2 = 26;
/** Address of the file name the program was executed as. */
export const AT_EXECFN = 31;
/** Address of the vDSO's ELF header. */
export const AT_SYSINFO_EHDR = 33;
/** Minimal signal stack size the kernel needs (x86, Linux 5.14+). */
export const AT_MINSIGSTKSZ = 51;

const NAMES: Readonly<Record<number, string>> = {
  [AT_NULL]: "AT_NULL",
  [AT_PHDR]: "AT_PHDR",
  [AT_PHENT]: "AT_PHENT",
  [AT_PHNUM]: "AT_PHNUM",
  [AT_PAGESZ]: "AT_PAGESZ",
  [AT_BASE]: "AT_BASE",
  [AT_FLAGS]: "AT_FLAGS",
  [AT_ENTRY]: "AT_ENTRY",
  [AT_UID]: "AT_UID",
  [AT_EUID]: "AT_EUID",
  [AT_GID]: "AT_GID",
  [AT_EGID]: "AT_EGID",
  [AT_PLATFORM]: "AT_PLATFORM",
  [AT_HWCAP]: "AT_HWCAP",
  [AT_CLKTCK]: "AT_CLKTCK",
  [AT_SECURE]: "AT_SECURE",
  [AT_RANDOM]: "AT_RANDOM",
  [AT_HWCAP2]: "AT_HWCAP2",
  [AT_EXECFN]: "AT_EXECFN",
  [AT_SYSINFO_EHDR]: "AT_SYSINFO_EHDR",
  [AT_MINSIGSTKSZ]: "AT_MINSIGSTKSZ",
};

/** The symbolic name of an auxv type (`"AT_RANDOM"`), or `"AT_<n>"` for one not listed here. */
export function auxvTypeName(type: number): string {
  return NAMES[type] ?? `AT_${type}`;
}
