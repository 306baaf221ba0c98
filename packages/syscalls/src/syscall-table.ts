import { NANOS_IGNORED, NANOS_SUPPORTED } from "./nanos-status.js";
import { SIGNATURES } from "./syscall-signatures.js";

/**
 * How an argument is shown in a trace (and what it means):
 *
 * - `fd`, `dirfd` (with `AT_FDCWD`), `int`, `uint`, `size`, `off`: numbers.
 * - `hex`, `ptr` (`NULL` for 0): shown in hex.
 * - `path`, `str`: a NUL-terminated string read from guest memory.
 * - `buf`: bytes the call reads, counted by the next argument; `obuf`: bytes it writes, as many
 *   as the result says (`ohex`: shown in hex, for binary data); `ostr`: a string it writes (result = length); `iov`/`oiov`: iovec arrays
 *   counted by the next argument, read / written.
 * - structs the call reads (`i…`) or fills (`o…`): `ostat`, `itimespec`/`otimespec`,
 *   `irlimit`/`orlimit`, `isigaction`/`osigaction`, `isigset`/`osigset`, `outsname`,
 *   `odirents` (a getdents buffer, shown as its entry count), `pollfds` (counted by the next
 *   argument).
 * - symbolic: `oflags` (open), `mode` (octal), `amode` (access), `prot`, `mflags` (mmap),
 *   `mremap`, `msync`, `madv`, `clone`, `futexop`, `sig`, `sighow`, `atflags`, `whence`,
 *   `clock`, `ioctl`, `fcntl`, `archprctl`, `rlimit`, `grnd`, `rusagewho`, `prctlop`.
 * - time and process structs: `otimeval` (gettimeofday), `otime` (time's `time_t`), `otms`,
 *   `orusage`, `osysinfo` (filled by the call), `capheader` (capget's header, read and written).
 * - file structs and flags: `ostatfs`, `ostatx`, `iutimbuf` (utime), `itimevals` (utimes),
 *   `itimespecs` (utimensat, with `UTIME_NOW`/`UTIME_OMIT`), `renameflags`, `falloc`, `fadvice`,
 *   `statxmask`.
 * - sockets: `sockaddr` (counted by the next argument), `osockaddr` (filled, its length at the
 *   next argument's address), `osocklen` (that length, `[16]`), `msghdr`/`omsghdr` (sendmsg/recvmsg), `sockdomain`, `socktype`,
 *   `sockflags` (accept4), `msgflags`, `shuthow`, `socklevel`.
 * - timers: `itimer` (setitimer's `which`), `iitimerval`/`oitimerval`, `iitimerspec`/`oitimerspec`.
 * - fd-based I/O: `epollop` (epoll_ctl's operation), `iepollevent` (its struct epoll_event),
 *   `epollflags` (epoll_create1), `efdflags` (eventfd2), `tfdflags` (timerfd_create),
 *   `tfdsettime` (timerfd_settime).
 */
export type ArgKind =
  | "fd" | "dirfd" | "int" | "uint" | "size" | "off" | "hex" | "ptr"
  | "path" | "str" | "buf" | "obuf" | "ohex" | "ostr" | "iov" | "oiov" | "ostat" | "itimespec" | "otimespec"
  | "irlimit" | "orlimit" | "isigaction" | "osigaction" | "isigset" | "osigset" | "outsname" | "odirents" | "pollfds"
  | "oflags" | "mode" | "amode" | "prot" | "mflags" | "mremap" | "msync" | "madv" | "clone"
  | "futexop" | "sig" | "sighow" | "atflags" | "whence" | "clock" | "ioctl" | "fcntl"
  | "archprctl" | "rlimit" | "grnd"
  | "otimeval" | "otime" | "otms" | "orusage" | "osysinfo" | "capheader" | "rusagewho" | "prctlop"
  | "ostatfs" | "ostatx" | "iutimbuf" | "itimevals" | "itimespecs" | "renameflags" | "falloc" | "fadvice" | "statxmask"
  | "sockaddr" | "osockaddr" | "osocklen" | "msghdr" | "omsghdr" | "sockdomain" | "socktype" | "sockflags" | "msgflags" | "shuthow" | "socklevel"
  | "itimer" | "iitimerval" | "oitimerval" | "iitimerspec" | "oitimerspec"
  | "epollop" | "iepollevent" | "epollflags" | "efdflags" | "tfdflags" | "tfdsettime";

const ARG_KINDS: ReadonlySet<string> = new Set<ArgKind>([
  "fd", "dirfd", "int", "uint", "size", "off", "hex", "ptr", "path", "str", "buf", "obuf", "ohex", "ostr", "iov",
  "oiov", "ostat", "itimespec", "otimespec", "irlimit", "orlimit", "isigaction", "osigaction", "isigset", "osigset",
  "outsname", "odirents", "pollfds", "oflags", "mode", "amode", "prot", "mflags", "mremap", "msync",
  "madv", "clone", "futexop", "sig", "sighow", "atflags", "whence", "clock", "ioctl", "fcntl", "archprctl",
  "rlimit", "grnd", "otimeval", "otime", "otms", "orusage", "osysinfo", "capheader", "rusagewho", "prctlop",
  "ostatfs", "ostatx", "iutimbuf", "itimevals", "itimespecs", "renameflags", "falloc", "fadvice", "statxmask",
  "sockaddr", "osockaddr", "osocklen", "msghdr", "omsghdr", "sockdomain", "socktype", "sockflags", "msgflags", "shuthow", "socklevel",
  "itimer", "iitimerval", "oitimerval", "iitimerspec", "oitimerspec",
  "epollop", "iepollevent", "epollflags", "efdflags", "tfdflags", "tfdsettime",
]);

/**
 * What Nanos does with a syscall: implements it with Linux semantics (`supported`), accepts it
 * and returns 0 (`ignored`, Nanos's `syscall_ignore`), or returns `ENOSYS` (`unsupported`).
 */
export type NanosStatus = "supported" | "ignored" | "unsupported";

/** One x86-64 Linux syscall. */
export interface SyscallInfo {
  /** Its number (the value of RAX at `syscall`). */
  readonly nr: number;
  /** Its name, as strace prints it (`openat`, `pread64`, `newfstatat`…). */
  readonly name: string;
  /** How each argument is typed, in order (at most six). */
  readonly args: readonly ArgKind[];
  /** What Nanos does with it. */
  readonly nanos: NanosStatus;
}

function parseTable(): SyscallInfo[] {
  const table: SyscallInfo[] = [];
  for (const line of SIGNATURES.split("\n")) {
    if (line === "") continue;
    const [nr, name, kinds = ""] = line.split(" ") as [string, string, string?];
    const args = kinds === "" ? [] : kinds.split(",");
    for (const a of args) if (!ARG_KINDS.has(a)) throw new Error(`syscall table: unknown argument kind ${a} in ${name}`);
    const nanos: NanosStatus = NANOS_SUPPORTED.has(name) ? "supported" : NANOS_IGNORED.has(name) ? "ignored" : "unsupported";
    table[Number(nr)] = { nr: Number(nr), name, args: args as ArgKind[], nanos };
  }
  return table;
}

const BY_NUMBER = parseTable();
const BY_NAME = new Map(BY_NUMBER.filter((s) => s !== undefined).map((s) => [s.name, s]));

/** Every x86-64 syscall, in number order (the table has a gap from 335 to 423, as Linux does). */
export const SYSCALLS: readonly SyscallInfo[] = BY_NUMBER.filter((s) => s !== undefined);

/** The syscall numbered `nr`, or undefined for a number Linux does not assign. */
export function syscallInfo(nr: number): SyscallInfo | undefined {
  return Number.isInteger(nr) && nr >= 0 ? BY_NUMBER[nr] : undefined;
}

/** The syscall called `name` (`"openat"`), or undefined. */
export function syscallByName(name: string): SyscallInfo | undefined {
  return BY_NAME.get(name);
}

/** The name strace prints for syscall `nr`: its name, or `syscall_0x1a4` for an unassigned one. */
export function syscallName(nr: number): string {
  return syscallInfo(nr)?.name ?? `syscall_${nr < 0 ? "-" : ""}0x${Math.abs(nr).toString(16)}`;
}
