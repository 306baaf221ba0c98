import { formatEnum, formatFlags, type Names } from "./flag-names.js";

// Names strace gives the socket calls' numeric arguments. @internal

const DOMAINS: Names = { AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2, AF_INET6: 10, AF_NETLINK: 16, AF_PACKET: 17 };
const TYPES: Names = { SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_RDM: 4, SOCK_SEQPACKET: 5, SOCK_PACKET: 10 };
const TYPE_FLAGS: Names = { SOCK_NONBLOCK: 0o4000, SOCK_CLOEXEC: 0o2000000 };
const MSG_FLAGS: Names = {
  MSG_OOB: 0x1, MSG_PEEK: 0x2, MSG_DONTROUTE: 0x4, MSG_CTRUNC: 0x8, MSG_TRUNC: 0x20, MSG_DONTWAIT: 0x40, MSG_EOR: 0x80,
  MSG_WAITALL: 0x100, MSG_CONFIRM: 0x800, MSG_ERRQUEUE: 0x2000, MSG_NOSIGNAL: 0x4000, MSG_MORE: 0x8000,
  MSG_WAITFORONE: 0x10000, MSG_CMSG_CLOEXEC: 0x40000000,
};
const SHUT: Names = { SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2 };
const LEVELS: Names = { SOL_IP: 0, SOL_SOCKET: 1, SOL_TCP: 6, SOL_UDP: 17, SOL_IPV6: 41 };

/** `AF_INET`, or the number. */
export const formatSocketDomain = (v: number): string => formatEnum(v | 0, DOMAINS);

/** `SOCK_STREAM|SOCK_CLOEXEC`. */
export function formatSocketType(v: number): string {
  const type = v & 0xf;
  const flags = (v >>> 0) - type;
  const name = formatEnum(type, TYPES);
  return flags === 0 ? name : `${name}|${formatFlags(flags, TYPE_FLAGS)}`;
}

/** `MSG_PEEK|MSG_DONTWAIT`, `0`. */
export const formatMsgFlags = (v: number): string => formatFlags(v >>> 0, MSG_FLAGS);

/** Symbolic formatters of the socket calls' arguments, by argument kind. */
export const SOCKET_SYMBOLIC: Readonly<Record<string, (v: number) => string>> = {
  sockdomain: formatSocketDomain,
  socktype: formatSocketType,
  sockflags: (v) => formatFlags(v >>> 0, TYPE_FLAGS),
  msgflags: formatMsgFlags,
  shuthow: (v) => formatEnum(v | 0, SHUT),
  socklevel: (v) => formatEnum(v | 0, LEVELS),
};
