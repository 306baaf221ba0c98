// Binding an inet socket: the address family must be the socket's, the address the VM's, the
// port free (or shareable) in the protocol's table.
import { fail, type Sockaddr } from "@nanots/syscalls";
import { destinationIp, inetSockaddr, ipOf, isLocal, isV4, type InetSockaddr, type Ip } from "./inet-address.js";
import { Ipv6Option, Level } from "./socket-constants.js";
import type { Socket } from "./socket.js";

/** Checks an inet address's family against the socket's (Linux: EAFNOSUPPORT). */
export function inetAddress(socket: Socket, address: Sockaddr): InetSockaddr {
  if (address.family !== socket.family || !("port" in address)) fail("EAFNOSUPPORT", `address family ${address.family} on an AF_${socket.family === 2 ? "INET" : "INET6"} socket`);
  return address;
}

/** Binds an inet socket (TCP or UDP table) to a local address. */
export function bindInet(socket: Socket, address: Sockaddr, stream: boolean): void {
  const a = inetAddress(socket, address);
  if (socket.local !== undefined) fail("EINVAL", "already bound");
  const ip = ipOf(a);
  if (!isLocal(ip)) fail("EADDRNOTAVAIL", "not an address of the VM");
  if (isV4(ip) && v6Only(socket)) fail("EADDRNOTAVAIL", "a v4-mapped address on an IPV6_V6ONLY socket");
  const port = (stream ? socket.net.tcp : socket.net.udp).bind(socket, ip, a.port);
  socket.local = inetSockaddr(socket.family, ip, port);
}

/** An AF_INET6 socket that takes IPv6 only (IPV6_V6ONLY). */
export function v6Only(socket: Socket): boolean {
  return socket.family === 10 && socket.options.flag(Level.IPPROTO_IPV6, Ipv6Option.IPV6_V6ONLY);
}

/** The destination of a connect or send, where the wildcards mean loopback; an IPV6_V6ONLY socket reaches no IPv4 address. */
export function destinationOf(socket: Socket, address: InetSockaddr): Ip {
  const dst = destinationIp(ipOf(address));
  if (isV4(dst) && v6Only(socket)) fail("ENETUNREACH", "IPv4 from an IPV6_V6ONLY socket");
  return dst;
}

/** The sun_path bytes of an AF_UNIX address (EINVAL for another family). */
export function unixPath(address: Sockaddr): Uint8Array {
  if (address.family !== 1 || !("path" in address)) fail("EINVAL", "not an AF_UNIX address");
  return address.path;
}
