// The Linux x86-64 values of the socket API's constants (<sys/socket.h>, <netinet/in.h>,
// <netinet/tcp.h>).

/** Socket types (the low bits of socket()'s type argument). */
export const SocketType = { SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_SEQPACKET: 5 } as const;
/** Flags or-ed into socket()'s type (and accept4's flags): the O_ values. */
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
/** Linux's SOCK_MAX: types at or above it are EINVAL. */
export const SOCK_MAX = 11;
/** The largest listen backlog (net.core.somaxconn). */
export const SOMAXCONN = 4096;

/** send/recv flags. */
export const MsgFlag = {
  MSG_OOB: 0x1,
  MSG_PEEK: 0x2,
  MSG_DONTROUTE: 0x4,
  MSG_CTRUNC: 0x8,
  MSG_TRUNC: 0x20,
  MSG_DONTWAIT: 0x40,
  MSG_EOR: 0x80,
  MSG_WAITALL: 0x100,
  MSG_NOSIGNAL: 0x4000,
  MSG_MORE: 0x8000,
  MSG_CMSG_CLOEXEC: 0x40000000,
} as const;

/** shutdown's `how`. */
export const Shut = { SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2 } as const;

/** setsockopt/getsockopt levels. */
export const Level = { SOL_SOCKET: 1, IPPROTO_IP: 0, IPPROTO_TCP: 6, IPPROTO_UDP: 17, IPPROTO_IPV6: 41 } as const;

/** SOL_SOCKET options. */
export const SocketOption = {
  SO_DEBUG: 1,
  SO_REUSEADDR: 2,
  SO_TYPE: 3,
  SO_ERROR: 4,
  SO_DONTROUTE: 5,
  SO_BROADCAST: 6,
  SO_SNDBUF: 7,
  SO_RCVBUF: 8,
  SO_KEEPALIVE: 9,
  SO_OOBINLINE: 10,
  SO_LINGER: 13,
  SO_REUSEPORT: 15,
  SO_PASSCRED: 16,
  SO_PEERCRED: 17,
  SO_RCVLOWAT: 18,
  SO_SNDLOWAT: 19,
  SO_RCVTIMEO: 20,
  SO_SNDTIMEO: 21,
  SO_ACCEPTCONN: 30,
  SO_PROTOCOL: 38,
  SO_DOMAIN: 39,
} as const;

/** IPPROTO_TCP options. */
export const TcpOption = { TCP_NODELAY: 1, TCP_MAXSEG: 2, TCP_CORK: 3, TCP_KEEPIDLE: 4, TCP_KEEPINTVL: 5, TCP_KEEPCNT: 6, TCP_QUICKACK: 12 } as const;
/** IPPROTO_IP options kept and read back. */
export const IpOption = { IP_TOS: 1, IP_TTL: 2 } as const;
/** IPPROTO_IPV6 options. */
export const Ipv6Option = { IPV6_UNICAST_HOPS: 16, IPV6_V6ONLY: 26 } as const;

/** Protocol numbers socket() accepts for AF_INET/AF_INET6. */
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** SCM_RIGHTS: a control message of fds (SOL_SOCKET level). */
export const SCM_RIGHTS = 1;
/** SCM_CREDENTIALS: the sender's pid, uid and gid. */
export const SCM_CREDENTIALS = 2;
/** Linux's SCM_MAX_FD: fds one message may pass. */
export const SCM_MAX_FD = 253;
