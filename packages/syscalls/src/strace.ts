import { errnoMessage, errnoName, isErrorResult } from "./errno.js";
import { hex, SYMBOLIC } from "./flag-names.js";
import { OpenFlag } from "./linux-constants.js";
import {
  formatCapHeader, formatDirentCount, formatIovecs, formatPollfds, formatRlimit, formatRusage, formatSigaction, formatSigset, formatStat,
  formatSysinfo, formatTimespec, formatTimeT, formatTimeval, formatTms, formatUtsname,
} from "./strace-structs.js";
import { formatFileCallArgs, formatStatfs, formatStatx, formatTimePair, formatUtimbuf } from "./strace-file-structs.js";
import { formatIntervalTimer, formatItimerWhich } from "./strace-timer-structs.js";
import { syscallInfo, syscallName, type ArgKind } from "./syscall-table.js";
import { SOCKET_SYMBOLIC } from "./socket-names.js";
import { formatEpollEvent, IO_SYMBOLIC } from "./io-names.js";
import { formatMsghdr, formatOutSockaddr, formatSockaddr, formatSocklen, formatSockoptArgs } from "./strace-sockets.js";
import type { UserMemory } from "./user-memory.js";
import { escapeBytes, quoteBytes } from "./quote-bytes.js";
import { formatPrctlArgs } from "./strace-prctl.js";

/** Options of {@link formatSyscall}. */
export interface StraceOptions {
  /** Bytes of a buffer or string argument shown before `...` (strace's `-s`, default 32). */
  maxString?: number;
}

/** Syscalls whose result is an address, shown in hex. */
const ADDRESS_RESULTS = new Set(["mmap", "mremap", "brk", "shmat"]);
/** Syscalls that never return (`= ?`). */
const NO_RETURN = new Set(["exit", "exit_group", "rt_sigreturn"]);

const MAX_PATH = 4096;
const OPEN_FLAGS_ARG: Readonly<Record<string, number>> = { open: 1, openat: 2 };
const O_TMPFILE_BIT = 0o20000000;

const encoder = new TextEncoder();
const ptr = (v: number): string => (v === 0 ? "NULL" : hex(v));
const int32 = (v: number): number => v | 0;
const unsigned64 = (v: number): string => (v < 0 && Number.isSafeInteger(v) ? (BigInt(v) + 2n ** 64n).toString() : String(v));

/**
 * One argument as strace shows it. `result` is the call's result (for buffers the call
 * fills, whose length it gives); `next` is the following argument (a length or count).
 */
function formatArg(kind: ArgKind, value: number, next: number, result: number | undefined, mem: UserMemory, max: number): string {
  const failed = result === undefined || isErrorResult(result);
  switch (kind) {
    case "fd": case "int": return String(int32(value));
    case "uint": return String(value >>> 0);
    case "size": return unsigned64(value);
    case "off": return String(value);
    case "hex": return hex(value);
    case "ptr": return ptr(value);
    case "path": case "str": {
      if (value === 0) return "NULL";
      const s = mem.readCString(value, kind === "path" ? MAX_PATH : max + 1);
      if (s === undefined) return hex(value);
      const bytes = encoder.encode(s);
      return kind === "path" ? `"${escapeBytes(bytes)}"` : quoteBytes(bytes, max);
    }
    case "buf": {
      const len = Math.max(0, Math.min(next, max + 1));
      const data = mem.read(value, len);
      return data === undefined ? hex(value) : quoteBytes(data, Math.min(max, next));
    }
    case "obuf": case "ostr": case "ohex": {
      if (failed || result < 0) return hex(value);
      // What the call wrote: its result, but never past the buffer (recvfrom with MSG_TRUNC returns more).
      const filled = Math.min(result, Math.max(0, next));
      const data = mem.read(value, Math.min(filled, max + 1));
      if (data === undefined) return hex(value);
      const nul = kind === "ostr" ? data.indexOf(0) : -1;
      return quoteBytes(nul >= 0 ? data.subarray(0, nul) : data, Math.min(max, filled), kind === "ohex");
    }
    case "iov": return formatIovecs(mem, value, int32(next), undefined, max);
    case "oiov": return failed ? hex(value) : formatIovecs(mem, value, int32(next), result, max);
    case "ostat": return failed ? hex(value) : formatStat(mem, value);
    case "itimespec": return formatTimespec(mem, value);
    case "otimespec": return failed ? ptr(value) : formatTimespec(mem, value);
    case "irlimit": return formatRlimit(mem, value);
    case "orlimit": return failed ? ptr(value) : formatRlimit(mem, value);
    case "isigaction": return formatSigaction(mem, value);
    case "osigaction": return failed ? ptr(value) : formatSigaction(mem, value);
    case "isigset": return formatSigset(mem, value);
    case "osigset": return failed ? ptr(value) : formatSigset(mem, value);
    case "outsname": return failed ? hex(value) : formatUtsname(mem, value);
    case "odirents": return failed ? hex(value) : formatDirentCount(mem, value, result);
    case "pollfds": return formatPollfds(mem, value, next >>> 0);
    case "sockaddr": return formatSockaddr(mem, value, next);
    case "osockaddr": return failed ? ptr(value) : formatOutSockaddr(mem, value, next);
    case "osocklen": return failed ? ptr(value) : formatSocklen(mem, value);
    case "msghdr": return formatMsghdr(mem, value, undefined, max);
    case "omsghdr": return failed ? hex(value) : formatMsghdr(mem, value, result, max);
    case "otimeval": return failed ? ptr(value) : formatTimeval(mem, value);
    case "otime": return failed ? ptr(value) : formatTimeT(mem, value);
    case "otms": return failed ? ptr(value) : formatTms(mem, value);
    case "orusage": return failed ? ptr(value) : formatRusage(mem, value);
    case "osysinfo": return failed ? ptr(value) : formatSysinfo(mem, value);
    case "capheader": return formatCapHeader(mem, value);
    case "ostatfs": return failed ? hex(value) : formatStatfs(mem, value);
    case "ostatx": return failed ? hex(value) : formatStatx(mem, value);
    case "iutimbuf": return formatUtimbuf(mem, value);
    case "itimevals": return formatTimePair(mem, value, "usec");
    case "itimespecs": return formatTimePair(mem, value, "nsec");
    case "itimer": return formatItimerWhich(int32(value));
    case "iitimerval": return formatIntervalTimer(mem, value, "usec");
    case "oitimerval": return failed ? ptr(value) : formatIntervalTimer(mem, value, "usec");
    case "iitimerspec": return formatIntervalTimer(mem, value, "nsec");
    case "oitimerspec": return failed ? ptr(value) : formatIntervalTimer(mem, value, "nsec");
    case "iepollevent": return formatEpollEvent(mem, value);
    case "dirfd": case "sig": return SYMBOLIC[kind]!(int32(value));
    default: return (SYMBOLIC[kind] ?? SOCKET_SYMBOLIC[kind] ?? IO_SYMBOLIC[kind])!(value);
  }
}

/** A syscall result as strace shows it: `3`, `0x7f00…` for addresses, `-1 ENOENT (No such file or directory)`. */
export function formatResult(nr: number, result: number | undefined): string {
  if (result === undefined) return "?";
  if (isErrorResult(result)) {
    const name = errnoName(-result) ?? `errno ${-result}`;
    return `-1 ${name} (${errnoMessage(-result)})`;
  }
  const name = syscallName(nr);
  if (name === "umask") return `0${result.toString(8)}`;
  return ADDRESS_RESULTS.has(name) ? hex(result) : String(result);
}

/**
 * Formats a finished syscall as strace prints it, arguments decoded from the registers and
 * guest memory (read after the call, so output buffers show what the call wrote):
 * `openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3`,
 * `read(3, "127.0.0.1 localhost\n"..., 4096) = 52`,
 * `open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)`.
 * Pass `result` undefined for a call that does not return (`exit_group(0) = ?`).
 */
export function formatSyscall(nr: number, args: readonly number[], result: number | undefined, mem: UserMemory, options: StraceOptions = {}): string {
  const max = options.maxString ?? 32;
  const info = syscallInfo(nr);
  const name = syscallName(nr);
  const shownResult = info !== undefined && NO_RETURN.has(info.name) && !(result !== undefined && isErrorResult(result)) ? undefined : result;
  let parts = info === undefined
    ? args.slice(0, 6).map(hex)
    : info.args.map((kind, i) => formatArg(kind, args[i] ?? 0, args[i + 1] ?? 0, result, mem, max));
  // As strace: prctl's arguments depend on the option.
  if (name === "prctl") parts = formatPrctlArgs(args, result, mem, parts[0] ?? "");
  // As strace: open's mode is shown only when it means something (O_CREAT or O_TMPFILE).
  const flagsAt = OPEN_FLAGS_ARG[name];
  if (flagsAt !== undefined && ((args[flagsAt] ?? 0) & (OpenFlag.O_CREAT | O_TMPFILE_BIT)) === 0) parts.pop();
  if (name === "setsockopt" || name === "getsockopt") formatSockoptArgs(parts, args, name === "getsockopt", result === undefined || isErrorResult(result), mem);
  const special = formatFileCallArgs(name, parts, args, result, result === undefined || isErrorResult(result), mem);
  return `${name}(${parts.join(", ")}) = ${special ?? formatResult(nr, shownResult)}`;
}
