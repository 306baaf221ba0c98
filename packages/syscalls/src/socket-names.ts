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

const SOCKET_OPTIONS: Names = {
  SO_DEBUG: 1, SO_REUSEADDR: 2, SO_TYPE: 3, SO_ERROR: 4, SO_DONTROUTE: 5, SO_BROADCAST: 6, SO_SNDBUF: 7, SO_RCVBUF: 8,
  SO_KEEPALIVE: 9, SO_OOBINLINE: 10, SO_NO_CHECK: 11, SO_PRIORITY: 12, SO_LINGER: 13, SO_BSDCOMPAT: 14, SO_REUSEPORT: 15,
  SO_PASSCRED: 16, SO_PEERCRED: 17, SO_RCVLOWAT: 18, SO_SNDLOWAT: 19, SO_RCVTIMEO_OLD: 20, SO_SNDTIMEO_OLD: 21,
  SO_BINDTODEVICE: 25, SO_TIMESTAMP_OLD: 29, SO_ACCEPTCONN: 30, SO_SNDBUFFORCE: 32, SO_RCVBUFFORCE: 33, SO_MARK: 36,
  SO_PROTOCOL: 38, SO_DOMAIN: 39, SO_BUSY_POLL: 46, SO_INCOMING_CPU: 49,
};
const TCP_OPTIONS: Names = {
  TCP_NODELAY: 1, TCP_MAXSEG: 2, TCP_CORK: 3, TCP_KEEPIDLE: 4, TCP_KEEPINTVL: 5, TCP_KEEPCNT: 6, TCP_SYNCNT: 7,
  TCP_LINGER2: 8, TCP_DEFER_ACCEPT: 9, TCP_WINDOW_CLAMP: 10, TCP_INFO: 11, TCP_QUICKACK: 12, TCP_CONGESTION: 13,
  TCP_USER_TIMEOUT: 18, TCP_FASTOPEN: 23, TCP_NOTSENT_LOWAT: 25,
};
const IP_OPTIONS: Names = { IP_TOS: 1, IP_TTL: 2, IP_HDRINCL: 3, IP_OPTIONS: 4, IP_PKTINFO: 8, IP_MTU_DISCOVER: 10, IP_RECVERR: 11, IP_MULTICAST_TTL: 33, IP_MULTICAST_LOOP: 34, IP_ADD_MEMBERSHIP: 35 };
const IPV6_OPTIONS: Names = { IPV6_UNICAST_HOPS: 16, IPV6_MULTICAST_LOOP: 19, IPV6_JOIN_GROUP: 20, IPV6_V6ONLY: 26, IPV6_RECVPKTINFO: 49, IPV6_TCLASS: 67 };
const OPTIONS_BY_LEVEL: Readonly<Record<number, Names>> = { 1: SOCKET_OPTIONS, 6: TCP_OPTIONS, 0: IP_OPTIONS, 41: IPV6_OPTIONS };

/** A socket option's name at its level (`SO_REUSEADDR`, `TCP_NODELAY`), or the number. */
export function formatSockoptName(level: number, name: number): string {
  const names = OPTIONS_BY_LEVEL[level | 0];
  return names === undefined ? String(name | 0) : formatEnum(name | 0, names);
}
