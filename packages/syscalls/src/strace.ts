import { errnoMessage, errnoName, isErrorResult } from "./errno.js";
import { hex, SYMBOLIC } from "./flag-names.js";
import { FileType, OpenFlag, S_IFMT } from "./linux-constants.js";
import { decodePollfds, POLLFD_SIZE } from "./structs/pollfd.js";
import { decodeStat, STAT_SIZE } from "./structs/stat.js";
import { decodeTimespec, TIMESPEC_SIZE } from "./structs/timespec.js";
import { syscallInfo, syscallName, type ArgKind } from "./syscall-table.js";
import { readIovecs, type UserMemory } from "./user-memory.js";

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

/**
 * Escapes bytes as strace does: `\n \t \r \v \f`, `\"` and `\\`, printable ASCII as is,
 * anything else in octal (`\0`, `\177`; three digits when an octal digit follows). With
 * `hex`, every byte is `\xNN` (strace's form for binary data such as getrandom's).
 */
export function escapeBytes(bytes: Uint8Array, hex = false): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (hex) {
      s += `\\x${b.toString(16).padStart(2, "0")}`;
      continue;
    }
    switch (b) {
      case 0x22: s += '\\"'; break;
      case 0x5c: s += "\\\\"; break;
      case 0x0a: s += "\\n"; break;
      case 0x09: s += "\\t"; break;
      case 0x0d: s += "\\r"; break;
      case 0x0b: s += "\\v"; break;
      case 0x0c: s += "\\f"; break;
      default: {
        if (b >= 0x20 && b < 0x7f) {
          s += String.fromCharCode(b);
          break;
        }
        const next = bytes[i + 1];
        const octal = b.toString(8);
        s += `\\${next !== undefined && next >= 0x30 && next <= 0x37 ? octal.padStart(3, "0") : octal}`;
      }
    }
  }
  return s;
}

/** A quoted buffer: `"abc"`, or `"abc"...` when longer than `max` bytes. */
export function quoteBytes(bytes: Uint8Array, max: number, hex = false): string {
  const shown = bytes.length > max ? bytes.subarray(0, max) : bytes;
  return `"${escapeBytes(shown, hex)}"${bytes.length > max ? "..." : ""}`;
}

const encoder = new TextEncoder();
const ptr = (v: number): string => (v === 0 ? "NULL" : hex(v));
const int32 = (v: number): number => v | 0;
const unsigned64 = (v: number): string => (v < 0 ? (BigInt(v) + 2n ** 64n).toString() : String(v));

function formatStat(mem: UserMemory, addr: number): string {
  const b = mem.read(addr, STAT_SIZE);
  if (b === undefined) return hex(addr);
  const s = decodeStat(b);
  const type = s.mode & S_IFMT;
  const typeName = Object.entries(FileType).find(([, v]) => v === type)?.[0] ?? hex(type);
  const mode = `st_mode=${typeName}|0${(s.mode & 0o7777).toString(8).padStart(3, "0")}`;
  if (type === FileType.S_IFCHR || type === FileType.S_IFBLK) {
    const major = (s.rdev >> 8) & 0xfff;
    const minor = (s.rdev & 0xff) | ((s.rdev >> 12) & ~0xff);
    return `{${mode}, st_rdev=makedev(${hex(major)}, ${hex(minor)}), ...}`;
  }
  return `{${mode}, st_size=${s.size}, ...}`;
}

function formatTimespec(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, TIMESPEC_SIZE);
  if (b === undefined) return hex(addr);
  const t = decodeTimespec(b);
  return `{tv_sec=${t.sec}, tv_nsec=${t.nsec}}`;
}

const POLL_EVENTS: ReadonlyArray<[string, number]> = [
  ["POLLIN", 1], ["POLLPRI", 2], ["POLLOUT", 4], ["POLLERR", 8], ["POLLHUP", 0x10], ["POLLNVAL", 0x20],
  ["POLLRDNORM", 0x40], ["POLLRDBAND", 0x80], ["POLLWRNORM", 0x100], ["POLLWRBAND", 0x200], ["POLLRDHUP", 0x2000],
];

function pollEvents(v: number): string {
  const names = POLL_EVENTS.filter(([, bit]) => v & bit).map(([n]) => n);
  const rest = POLL_EVENTS.reduce((r, [, bit]) => r & ~bit, v);
  if (rest !== 0) names.push(hex(rest));
  return names.length === 0 ? "0" : names.join("|");
}

function formatPollfds(mem: UserMemory, addr: number, count: number): string {
  if (count > 1024) return hex(addr);
  const b = mem.read(addr, count * POLLFD_SIZE);
  if (b === undefined) return hex(addr);
  return `[${decodePollfds(b).map((p) => `{fd=${p.fd}, events=${pollEvents(p.events)}}`).join(", ")}]`;
}

function formatIovecs(mem: UserMemory, addr: number, count: number, limit: number | undefined, max: number): string {
  if (count < 0 || count > 1024) return hex(addr);
  const iovs = readIovecs(mem, addr, count);
  if (iovs === undefined) return hex(addr);
  let left = limit ?? Infinity;
  const parts = iovs.map((io) => {
    const take = Math.min(io.len, left, max + 1);
    left -= Math.min(io.len, left);
    const data = io.base === 0 ? undefined : mem.read(io.base, take);
    const base = io.base === 0 ? "NULL" : data === undefined ? hex(io.base) : quoteBytes(data, Math.min(max, io.len));
    return `{iov_base=${base}, iov_len=${io.len}}`;
  });
  return `[${parts.join(", ")}]`;
}

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
      const data = mem.read(value, Math.min(result, max + 1));
      if (data === undefined) return hex(value);
      const nul = kind === "ostr" ? data.indexOf(0) : -1;
      return quoteBytes(nul >= 0 ? data.subarray(0, nul) : data, Math.min(max, result), kind === "ohex");
    }
    case "iov": return formatIovecs(mem, value, int32(next), undefined, max);
    case "oiov": return failed ? hex(value) : formatIovecs(mem, value, int32(next), result, max);
    case "ostat": return failed ? hex(value) : formatStat(mem, value);
    case "itimespec": return formatTimespec(mem, value);
    case "pollfds": return formatPollfds(mem, value, next >>> 0);
    case "dirfd": case "sig": return SYMBOLIC[kind]!(int32(value));
    default: return SYMBOLIC[kind]!(value);
  }
}

/** A syscall result as strace shows it: `3`, `0x7f00…` for addresses, `-1 ENOENT (No such file or directory)`. */
export function formatResult(nr: number, result: number | undefined): string {
  if (result === undefined) return "?";
  if (isErrorResult(result)) {
    const name = errnoName(-result) ?? `errno ${-result}`;
    return `-1 ${name} (${errnoMessage(-result)})`;
  }
  return ADDRESS_RESULTS.has(syscallName(nr)) ? hex(result) : String(result);
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
  const parts = info === undefined
    ? args.slice(0, 6).map(hex)
    : info.args.map((kind, i) => {
        try {
          return formatArg(kind, args[i] ?? 0, args[i + 1] ?? 0, result, mem, max);
        } catch {
          // A trace must never fail the call it describes: show the raw value.
          return hex(args[i] ?? 0);
        }
      });
  // As strace: open's mode is shown only when it means something (O_CREAT or O_TMPFILE).
  const flagsAt = OPEN_FLAGS_ARG[name];
  if (flagsAt !== undefined && ((args[flagsAt] ?? 0) & (OpenFlag.O_CREAT | O_TMPFILE_BIT)) === 0) parts.pop();
  return `${name}(${parts.join(", ")}) = ${formatResult(nr, shownResult)}`;
}
