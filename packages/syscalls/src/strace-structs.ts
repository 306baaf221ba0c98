import { formatEnum, hex, signalName } from "./flag-names.js";
import { CapVersion, FileType, S_IFMT } from "./linux-constants.js";
import { decodePollfds, POLLFD_SIZE } from "./structs/pollfd.js";
import { decodeRlimit, RLIMIT_SIZE } from "./structs/rlimit.js";
import { decodeSigaction, SaFlag, SIGACTION_SIZE } from "./structs/sigaction.js";
import { decodeStat, STAT_SIZE } from "./structs/stat.js";
import { decodeTimespec, TIMESPEC_SIZE } from "./structs/timespec.js";
import { decodeUtsname, UTSNAME_SIZE } from "./structs/utsname.js";
import { quoteBytes } from "./quote-bytes.js";
import { readIovecs, type UserMemory } from "./user-memory.js";

// How strace shows the structs syscalls read and fill. Each reads guest memory and falls back
// to the address when it cannot. @internal

export function formatStat(mem: UserMemory, addr: number): string {
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

export function formatTimespec(mem: UserMemory, addr: number): string {
  return formatTime(mem, addr, "tv_nsec");
}

/** `{tv_sec=1, tv_usec=500}`: a `struct timeval`. */
export function formatTimeval(mem: UserMemory, addr: number): string {
  return formatTime(mem, addr, "tv_usec");
}

function formatTime(mem: UserMemory, addr: number, fraction: "tv_nsec" | "tv_usec"): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, TIMESPEC_SIZE);
  if (b === undefined) return hex(addr);
  const t = decodeTimespec(b);
  return `{tv_sec=${t.sec}, ${fraction}=${t.nsec}}`;
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

export function formatPollfds(mem: UserMemory, addr: number, count: number): string {
  if (count > 1024) return hex(addr);
  const b = mem.read(addr, count * POLLFD_SIZE);
  if (b === undefined) return hex(addr);
  return `[${decodePollfds(b).map((p) => `{fd=${p.fd}, events=${pollEvents(p.events)}}`).join(", ")}]`;
}

export function formatIovecs(mem: UserMemory, addr: number, count: number, limit: number | undefined, max: number): string {
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

/** `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`. */
export function formatRlimit(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, RLIMIT_SIZE);
  if (b === undefined) return hex(addr);
  const r = decodeRlimit(b);
  const value = (v: number): string => (v === Infinity ? "RLIM64_INFINITY" : v > 1024 && v % 1024 === 0 ? `${v / 1024}*1024` : String(v));
  return `{rlim_cur=${value(r.cur)}, rlim_max=${value(r.max)}}`;
}

/** Signal names without `SIG` in a mask: `[INT TERM]`, or `~[KILL STOP]` when most are set. */
function sigsetText(mask: bigint): string {
  const set: number[] = [];
  const clear: number[] = [];
  for (let sig = 1; sig <= 64; sig++) ((mask >> BigInt(sig - 1)) & 1n ? set : clear).push(sig);
  const names = (sigs: number[]) => sigs.map((s) => signalName(s).replace(/^SIG/, "")).join(" ");
  return set.length > 32 ? `~[${names(clear)}]` : `[${names(set)}]`;
}

/** A `sigset_t` (8 bytes). */
export function formatSigset(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, 8);
  return b === undefined ? hex(addr) : sigsetText(new DataView(b.buffer).getBigUint64(0, true));
}

/** `{sa_handler=SIG_DFL, sa_mask=[], sa_flags=SA_RESTORER|SA_SIGINFO, sa_restorer=0x…}`. */
export function formatSigaction(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, SIGACTION_SIZE);
  if (b === undefined) return hex(addr);
  const a = decodeSigaction(b);
  const handler = a.handler === 0n ? "SIG_DFL" : a.handler === 1n ? "SIG_IGN" : `0x${a.handler.toString(16)}`;
  const flagNames = Object.entries(SaFlag).filter(([, bit]) => (a.flags & BigInt(bit)) !== 0n).map(([n]) => n);
  const rest = Object.values(SaFlag).reduce((f, bit) => f & ~BigInt(bit), a.flags);
  if (rest !== 0n) flagNames.push(`0x${rest.toString(16)}`);
  const flags = flagNames.length === 0 ? "0" : flagNames.join("|");
  const restorer = (a.flags & BigInt(SaFlag.SA_RESTORER)) !== 0n ? `, sa_restorer=0x${a.restorer.toString(16)}` : "";
  return `{sa_handler=${handler}, sa_mask=${sigsetText(a.mask)}, sa_flags=${flags}${restorer}}`;
}

/** `{sysname="Nanos", nodename="…", ...}`. */
export function formatUtsname(mem: UserMemory, addr: number): string {
  const b = mem.read(addr, UTSNAME_SIZE);
  if (b === undefined) return hex(addr);
  const u = decodeUtsname(b);
  const q = (s: string) => quoteBytes(new TextEncoder().encode(s), 64);
  return `{sysname=${q(u.sysname)}, nodename=${q(u.nodename)}, ...}`;
}

/** A getdents buffer: its address and `/* N entries *\/`, as strace shows it. */
export function formatDirentCount(mem: UserMemory, addr: number, length: number | undefined): string {
  const b = length === undefined ? undefined : mem.read(addr, length);
  if (b === undefined) return hex(addr);
  let count = 0;
  for (let at = 0; at + 18 <= b.length; count++) {
    const reclen = b[at + 16]! | (b[at + 17]! << 8);
    if (reclen === 0) break;
    at += reclen;
  }
  return `${hex(addr)} /* ${count} entries */`;
}

/** Little-endian signed 64-bit fields of the struct at `addr`, or undefined. */
function longs(mem: UserMemory, addr: number, count: number): number[] | undefined {
  const b = mem.read(addr, count * 8);
  if (b === undefined) return undefined;
  const v = new DataView(b.buffer, b.byteOffset);
  return Array.from({ length: count }, (_, i) => Number(v.getBigInt64(i * 8, true)));
}

/** time's `time_t`: `[1700000000]`. */
export function formatTimeT(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const t = longs(mem, addr, 1);
  return t === undefined ? hex(addr) : `[${t[0]}]`;
}

/** `{tms_utime=1, tms_stime=0, tms_cutime=0, tms_cstime=0}`. */
export function formatTms(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const t = longs(mem, addr, 4);
  return t === undefined ? hex(addr) : `{tms_utime=${t[0]}, tms_stime=${t[1]}, tms_cutime=${t[2]}, tms_cstime=${t[3]}}`;
}

/** `{ru_utime={tv_sec=0, tv_usec=1000}, ru_stime={tv_sec=0, tv_usec=0}, ...}`, as strace abbreviates it. */
export function formatRusage(mem: UserMemory, addr: number): string {
  const t = longs(mem, addr, 4);
  return t === undefined ? hex(addr) : `{ru_utime={tv_sec=${t[0]}, tv_usec=${t[1]}}, ru_stime={tv_sec=${t[2]}, tv_usec=${t[3]}}, ...}`;
}

/** Every field of `struct sysinfo`. */
export function formatSysinfo(mem: UserMemory, addr: number): string {
  const b = mem.read(addr, 112);
  if (b === undefined) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset);
  const u64 = (at: number): string => v.getBigUint64(at, true).toString();
  const loads = [8, 16, 24].map(u64).join(", ");
  return `{uptime=${v.getBigInt64(0, true)}, loads=[${loads}], totalram=${u64(32)}, freeram=${u64(40)}, sharedram=${u64(48)}, ` +
    `bufferram=${u64(56)}, totalswap=${u64(64)}, freeswap=${u64(72)}, procs=${v.getUint16(80, true)}, totalhigh=${u64(88)}, ` +
    `freehigh=${u64(96)}, mem_unit=${v.getUint32(104, true)}}`;
}

/** capget/capset's header: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`. */
export function formatCapHeader(mem: UserMemory, addr: number): string {
  const b = mem.read(addr, 8);
  if (b === undefined) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset);
  return `{version=${formatEnum(v.getUint32(0, true), CapVersion, hex)}, pid=${v.getInt32(4, true)}}`;
}
