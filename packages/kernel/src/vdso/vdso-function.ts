/** One function the vDSO exports: its code performs system call `syscall` and returns. */
export interface VdsoFunction {
  /** The strong (STB_GLOBAL) name, for example `__vdso_clock_gettime`. */
  readonly name: string;
  /** Weak (STB_WEAK) names for the same code, for example `clock_gettime`. */
  readonly aliases?: readonly string[];
  /** The x86-64 system call number the code makes (`mov eax, syscall; syscall; ret`). */
  readonly syscall: number;
}

/**
 * What Linux's x86-64 vDSO exports (arch/x86/entry/vdso/vdso.lds.S), all under version
 * `LINUX_2.6`: the `__vdso_` names glibc, musl and Go look up, and the plain weak aliases.
 * Syscall numbers are those of the x86-64 ABI.
 *
 * Linux's `__vdso_getrandom` is left out on purpose: its callers (glibc 2.41, Go 1.24) first
 * query an opaque state layout through it, which a plain syscall cannot answer; without the
 * symbol they call getrandom(2) directly. `__vdso_sgx_enter_enclave` has no meaning here.
 */
export const LINUX_VDSO_FUNCTIONS: readonly VdsoFunction[] = [
  { name: "__vdso_clock_gettime", aliases: ["clock_gettime"], syscall: 228 },
  { name: "__vdso_gettimeofday", aliases: ["gettimeofday"], syscall: 96 },
  { name: "__vdso_time", aliases: ["time"], syscall: 201 },
  { name: "__vdso_getcpu", aliases: ["getcpu"], syscall: 309 },
  { name: "__vdso_clock_getres", aliases: ["clock_getres"], syscall: 229 },
];
