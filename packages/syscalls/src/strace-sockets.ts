import { hex } from "./flag-names.js";
import { formatMsgFlags, formatSockoptName, formatSocketDomain } from "./socket-names.js";
import { formatIovecs } from "./strace-structs.js";
import { decodeMsghdr, MSGHDR_SIZE } from "./structs/msghdr.js";
import { decodeSockaddr, formatIpv4, formatIpv6, SOCKADDR_STORAGE_SIZE } from "./structs/sockaddr.js";
import { escapeBytes } from "./quote-bytes.js";
import { readI32, readU32, type UserMemory } from "./user-memory.js";

// How strace shows socket addresses and message headers. @internal

/**
 * A socket address of `length` bytes as strace prints it:
 * `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}`,
 * `{sa_family=AF_UNIX, sun_path="/tmp/s"}` (`@"…"` for an abstract name).
 */
export function formatSockaddr(mem: UserMemory, addr: number, length: number): string {
  if (addr === 0) return "NULL";
  const len = Math.min(length | 0, SOCKADDR_STORAGE_SIZE);
  if (len <= 0) return hex(addr);
  const bytes = mem.read(addr, len);
  if (bytes === undefined) return hex(addr);
  const sa = decodeSockaddr(bytes);
  if (sa === undefined) return `{sa_family=${formatSocketDomain(bytes.length >= 2 ? bytes[0]! | (bytes[1]! << 8) : 0)}, ...}`;
  const family = `sa_family=${formatSocketDomain(sa.family)}`;
  if ("path" in sa) {
    if (sa.path.length === 0) return `{${family}}`;
    const abstract = sa.path[0] === 0;
    return `{${family}, sun_path=${abstract ? "@" : ""}"${escapeBytes(abstract ? sa.path.subarray(1) : sa.path)}"}`;
  }
  if ("flowinfo" in sa) {
    return `{${family}, sin6_port=htons(${sa.port}), sin6_flowinfo=htonl(${sa.flowinfo}), inet_pton(AF_INET6, "${formatIpv6(sa.address)}", &sin6_addr), sin6_scope_id=${sa.scopeId}}`;
  }
  if ("port" in sa) return `{${family}, sin_port=htons(${sa.port}), sin_addr=inet_addr("${formatIpv4(sa.address)}")}`;
  return `{${family}, sa_data="${escapeBytes(sa.data)}"}`;
}

/** A socket address the call wrote, its length at `lengthAddr` (accept, getsockname, recvfrom). */
export function formatOutSockaddr(mem: UserMemory, addr: number, lengthAddr: number): string {
  if (addr === 0) return "NULL";
  const len = lengthAddr === 0 ? undefined : readU32(mem, lengthAddr);
  return len === undefined ? hex(addr) : formatSockaddr(mem, addr, len);
}

/** A `socklen_t` the call filled, as strace shows it: `[16]`. */
export function formatSocklen(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const n = readU32(mem, addr);
  return n === undefined ? hex(addr) : `[${n}]`;
}

/**
 * A `struct msghdr`: `{msg_name=…, msg_namelen=16, msg_iov=[…], msg_iovlen=1, msg_controllen=0, msg_flags=0}`.
 * `received` is recvmsg's result (the bytes shown from the iovecs), undefined for sendmsg.
 */
export function formatMsghdr(mem: UserMemory, addr: number, received: number | undefined, max: number): string {
  const bytes = mem.read(addr, MSGHDR_SIZE);
  if (bytes === undefined) return hex(addr);
  const m = decodeMsghdr(bytes);
  const name = m.name === 0 ? "NULL" : formatSockaddr(mem, m.name, m.namelen);
  const iov = formatIovecs(mem, m.iov, m.iovlen, received, max);
  return `{msg_name=${name}, msg_namelen=${m.namelen}, msg_iov=${iov}, msg_iovlen=${m.iovlen}, msg_controllen=${m.controllen}, msg_flags=${formatMsgFlags(m.flags)}}`;
}

/**
 * setsockopt/getsockopt as strace shows them: the option named at its level, an int value as
 * `[1]`, getsockopt's length as `[4]`. Rewrites `parts` (the formatted arguments) in place.
 */
export function formatSockoptArgs(parts: string[], args: readonly number[], getting: boolean, failed: boolean, mem: UserMemory): void {
  const [, level = 0, name = 0, value = 0, length = 0] = args;
  parts[2] = formatSockoptName(level, name);
  const size = getting ? (failed ? undefined : readU32(mem, length)) : length | 0;
  const int = size === 4 && value !== 0 ? readI32(mem, value) : undefined;
  if (int !== undefined) parts[3] = `[${int}]`;
}
