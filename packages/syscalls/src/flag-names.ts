import {
  AccessCheck, AccessMode, ArchPrctl, AtFlag, Clock, CloneFlag, Fcntl, FUTEX_CLOCK_REALTIME, FUTEX_CMD_MASK,
  FUTEX_PRIVATE_FLAG, FutexCmd, GrndFlag, Ioctl, Madvise, MapFlag, MapType, MremapFlag, MsyncFlag, O_ACCMODE,
  OpenFlag, Prctl, Prot, Rlimit, Rusage, Seek, SigHow, Signal, SIGNAL_MAX, RenameFlag, FallocFlag, Fadvise, StatxMask,
} from "./linux-constants.js";

/** A table of named values (`{ O_CREAT: 0o100, … }`), in the order names are listed. */
export type Names = Readonly<Record<string, number>>;

const TWO_32 = 2 ** 32;

/** Hex as strace prints it (`0x1f`, but `0`; negative values as their 64-bit two's complement). */
export function hex(value: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return String(value);
  const v = value < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(value))) : BigInt(Math.trunc(value));
  return `0x${v.toString(16)}`;
}

/**
 * `A|B|0x40` for the bits of `value` named in `names` (in the table's order, each name whose
 * bits are all set), the leftover bits in hex, `zero` when nothing is set.
 */
export function formatFlags(value: number, names: Names, zero = "0"): string {
  const high = Math.floor(value / TWO_32);
  let rest = value >>> 0;
  const parts: string[] = [];
  for (const [name, bits] of Object.entries(names)) {
    if (bits !== 0 && (rest & bits) >>> 0 === bits) {
      parts.push(name);
      rest = (rest & ~bits) >>> 0;
    }
  }
  const leftover = high * TWO_32 + rest;
  if (leftover !== 0) parts.push(hex(leftover));
  return parts.length === 0 ? zero : parts.join("|");
}

/** The name of `value` in a table of values, or the number itself. */
export function formatEnum(value: number, names: Names, fallback: (v: number) => string = String): string {
  for (const [name, v] of Object.entries(names)) if (v === value) return name;
  return fallback(value);
}

/** `open` flags: `O_WRONLY|O_CREAT|O_TRUNC`. */
export function formatOpenFlags(flags: number): string {
  const mode = formatEnum(flags & O_ACCMODE, AccessMode, (v) => hex(v));
  const rest = flags - (flags & O_ACCMODE);
  return rest === 0 ? mode : `${mode}|${formatFlags(rest, OpenFlag)}`;
}

/** A file mode in octal as strace prints it (`0644`, `000`). */
export function formatMode(mode: number): string {
  return `0${(mode >>> 0).toString(8).padStart(2, "0")}`;
}

/** `mmap` protection: `PROT_READ|PROT_WRITE`, `PROT_NONE`. */
export function formatProt(prot: number): string {
  return formatFlags(prot, Prot, "PROT_NONE");
}

/** `mmap` flags: `MAP_PRIVATE|MAP_ANONYMOUS`. */
export function formatMmapFlags(flags: number): string {
  const type = flags & 0xf;
  const typeName = formatEnum(type, MapType, (v) => hex(v));
  const rest = flags - type;
  return rest === 0 ? typeName : `${typeName}|${formatFlags(rest, MapFlag)}`;
}

/** A signal's name: `SIGSEGV`, `SIGRTMIN`, `SIGRT_3`, or its number. */
export function signalName(sig: number): string {
  if (sig === 32) return "SIGRTMIN";
  if (sig > 32 && sig <= SIGNAL_MAX) return `SIGRT_${sig - 32}`;
  return formatEnum(sig, Signal);
}

/** `clone` flags with the exit signal: `CLONE_VM|CLONE_FS|SIGCHLD`. */
export function formatCloneFlags(flags: number): string {
  const sig = flags & 0xff;
  const rest = flags - sig;
  const parts = rest === 0 ? [] : [formatFlags(rest, CloneFlag)];
  if (sig !== 0) parts.push(signalName(sig));
  return parts.length === 0 ? "0" : parts.join("|");
}

/** `futex` op: `FUTEX_WAIT_PRIVATE`, `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`. */
export function formatFutexOp(op: number): string {
  const cmd = formatEnum(op & FUTEX_CMD_MASK, FutexCmd, (v) => hex(v));
  let s = op & FUTEX_PRIVATE_FLAG ? `${cmd}_PRIVATE` : cmd;
  if (op & FUTEX_CLOCK_REALTIME) s += "|FUTEX_CLOCK_REALTIME";
  const rest = op - (op & (FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME));
  return rest === 0 ? s : `${s}|${hex(rest)}`;
}

/** `access` mode: `F_OK`, `R_OK|W_OK`. */
export function formatAccessMode(mode: number): string {
  return formatFlags(mode, AccessCheck, "F_OK");
}

/** A `dirfd`: `AT_FDCWD` or the number. */
export function formatDirfd(fd: number): string {
  return fd === -100 ? "AT_FDCWD" : String(fd);
}

const simple = {
  mremap: (v: number) => formatFlags(v, MremapFlag),
  msync: (v: number) => formatFlags(v, MsyncFlag),
  madv: (v: number) => formatEnum(v, Madvise),
  sighow: (v: number) => formatEnum(v, SigHow),
  atflags: (v: number) => formatFlags(v, AtFlag),
  whence: (v: number) => formatEnum(v, Seek),
  clock: (v: number) => formatEnum(v, Clock),
  ioctl: (v: number) => formatEnum(v, Ioctl, hex),
  fcntl: (v: number) => formatEnum(v, Fcntl),
  archprctl: (v: number) => formatEnum(v, ArchPrctl, hex),
  rlimit: (v: number) => formatEnum(v, Rlimit),
  grnd: (v: number) => formatFlags(v, GrndFlag),
  rusagewho: (v: number) => formatEnum(v | 0, Rusage),
  prctlop: (v: number) => formatEnum(v | 0, Prctl),
  renameflags: (v: number) => formatFlags(v >>> 0, RenameFlag),
  falloc: (v: number) => formatFlags(v >>> 0, FallocFlag),
  fadvice: (v: number) => formatEnum(v | 0, Fadvise),
  statxmask: (v: number) => formatFlags(v >>> 0, StatxMask),
} as const;

/** Symbolic formatters for the argument kinds that are plain numbers with names. */
export const SYMBOLIC: Readonly<Record<string, (v: number) => string>> = {
  ...simple,
  oflags: formatOpenFlags,
  mode: formatMode,
  amode: formatAccessMode,
  prot: formatProt,
  mflags: formatMmapFlags,
  clone: formatCloneFlags,
  futexop: formatFutexOp,
  sig: signalName,
  dirfd: formatDirfd,
};
