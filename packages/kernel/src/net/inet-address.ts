// IP addresses inside the VM. Both families are kept as 16 bytes (IPv4 as ::ffff:a.b.c.d) so
// one comparison serves AF_INET, AF_INET6 and v4-mapped v6 sockets.
import { fail, type Sockaddr } from "@nanots/syscalls";

/** An inet socket address. */
export type InetSockaddr = Extract<Sockaddr, { port: number }>;

/** 16 bytes; IPv4 addresses are v4-mapped. */
export type Ip = Uint8Array;

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The v4-mapped form of an IPv4 address. */
export function ipFromV4(v4: ArrayLike<number>): Ip {
  return Uint8Array.from([...MAPPED_PREFIX, v4[0]!, v4[1]!, v4[2]!, v4[3]!]);
}

/** Whether an address is IPv4 (v4-mapped). */
export function isV4(ip: Ip): boolean {
  return MAPPED_PREFIX.every((b, k) => ip[k] === b);
}

/** INADDR_ANY (as v4-mapped) and in6addr_any. */
export const ANY4 = ipFromV4([0, 0, 0, 0]);
export const ANY6 = new Uint8Array(16);
export const LOOPBACK4 = ipFromV4([127, 0, 0, 1]);
export const LOOPBACK6 = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
/** The VM's eth0 address (Nanos's default 10.0.2.15). */
export const ETH0_V4 = ipFromV4([10, 0, 2, 15]);

export const sameIp = (a: Ip, b: Ip): boolean => a.every((x, k) => x === b[k]);
export const isWildcard = (ip: Ip): boolean => sameIp(ip, ANY4) || sameIp(ip, ANY6);

/** The address a socket address names. */
export function ipOf(sa: InetSockaddr): Ip {
  return sa.family === 2 ? ipFromV4(sa.address) : sa.address.slice(0, 16);
}

/** A socket address of `family` for an IP and port (an AF_INET one needs an IPv4 address). */
export function inetSockaddr(family: number, ip: Ip, port: number): InetSockaddr {
  if (family === 2) return { family: 2, port, address: ip.slice(12, 16) };
  return { family: 10, port, flowinfo: 0, address: ip.slice(), scopeId: 0 };
}

/** Whether the VM has this address (loopback 127/8 and ::1, eth0, the wildcards). */
export function isLocal(ip: Ip): boolean {
  if (isV4(ip)) return ip[12] === 127 || sameIp(ip, ANY4) || sameIp(ip, ETH0_V4);
  return sameIp(ip, ANY6) || sameIp(ip, LOOPBACK6);
}

/**
 * Where a connect or send to `ip` goes: the wildcards mean loopback (as in Linux); addresses
 * outside the VM are unreachable until host networking exists.
 */
export function destinationIp(ip: Ip): Ip {
  if (sameIp(ip, ANY4)) return LOOPBACK4;
  if (sameIp(ip, ANY6)) return LOOPBACK6;
  if (!isLocal(ip)) fail("ENETUNREACH", "only the VM's own addresses are reachable (no host networking yet)");
  return ip;
}

/** The source address a socket bound to `bound` uses to reach `destination`. */
export function sourceIp(bound: Ip | undefined, destination: Ip): Ip {
  if (bound !== undefined && !isWildcard(bound)) return bound;
  if (!isV4(destination)) return LOOPBACK6;
  return sameIp(destination, ETH0_V4) ? ETH0_V4 : LOOPBACK4;
}
