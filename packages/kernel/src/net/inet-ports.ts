// The port table of one transport protocol (TCP or UDP): which socket has which address and
// port, Linux's rules for sharing a port (SO_REUSEADDR, SO_REUSEPORT, IPV6_V6ONLY), ephemeral
// ports, and finding the socket a packet to an address goes to.
import { fail } from "@nanots/syscalls";
import { ANY4, ANY6, ipOf, isV4, sameIp, type Ip } from "./inet-address.js";
import { Ipv6Option, Level, SocketOption } from "./socket-constants.js";
import type { Socket } from "./socket.js";

/** Linux's net.ipv4.ip_local_port_range. */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

/** A bound socket's address as the table compares it. */
interface Binding {
  readonly socket: Socket;
  readonly ip: Ip;
  /** An AF_INET6 socket that takes IPv6 only (IPV6_V6ONLY). */
  readonly v6only: boolean;
}

function bindingOf(socket: Socket, ip: Ip): Binding {
  return { socket, ip, v6only: socket.family === 10 && socket.options.flag(Level.IPPROTO_IPV6, Ipv6Option.IPV6_V6ONLY) };
}

/** Whether a binding receives packets sent to `ip`. */
function receives(b: Binding, ip: Ip): boolean {
  if (sameIp(b.ip, ip)) return true;
  if (sameIp(b.ip, ANY4)) return isV4(ip);
  if (sameIp(b.ip, ANY6)) return !b.v6only || !isV4(ip);
  return false;
}

/** Whether two bindings of one port would receive some of the same packets. */
function overlap(a: Binding, b: Binding): boolean {
  const wild = (x: Binding): boolean => sameIp(x.ip, ANY4) || sameIp(x.ip, ANY6);
  if (wild(a) && wild(b)) {
    // 0.0.0.0 and :: share the IPv4 addresses unless the v6 one is IPV6_V6ONLY.
    const v4a = sameIp(a.ip, ANY4) || !a.v6only;
    const v4b = sameIp(b.ip, ANY4) || !b.v6only;
    return sameIp(a.ip, b.ip) || (v4a && v4b);
  }
  if (wild(a)) return receives(a, b.ip);
  if (wild(b)) return receives(b, a.ip);
  return sameIp(a.ip, b.ip);
}

/** The ports of TCP or of UDP. */
export class InetPorts {
  private readonly ports = new Map<number, Binding[]>();
  private nextEphemeral = EPHEMERAL_FIRST + Math.floor(Math.random() * (EPHEMERAL_LAST - EPHEMERAL_FIRST));

  constructor(
    /** TCP: a listening socket never shares its port through SO_REUSEADDR alone. */
    private readonly stream: boolean,
  ) {}

  private shareable(a: Socket, b: Socket): boolean {
    const opt = (s: Socket, name: number): boolean => s.options.flag(Level.SOL_SOCKET, name);
    if (opt(a, SocketOption.SO_REUSEPORT) && opt(b, SocketOption.SO_REUSEPORT)) return true;
    if (!opt(a, SocketOption.SO_REUSEADDR) || !opt(b, SocketOption.SO_REUSEADDR)) return false;
    return !this.stream || (!a.listening && !b.listening);
  }

  private conflicts(candidate: Binding, port: number): boolean {
    return (this.ports.get(port) ?? []).some((b) => b.socket !== candidate.socket && overlap(b, candidate) && !this.shareable(b.socket, candidate.socket));
  }

  /** Binds `socket` to `ip` and `port` (0: a free ephemeral port); returns the port. */
  bind(socket: Socket, ip: Ip, port: number): number {
    const binding = bindingOf(socket, ip);
    if (port === 0) {
      const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
      for (let k = 0; k < span; k++) {
        const p = EPHEMERAL_FIRST + ((this.nextEphemeral - EPHEMERAL_FIRST + k) % span);
        if ((this.ports.get(p) ?? []).length === 0) {
          port = p;
          this.nextEphemeral = p + 1;
          break;
        }
      }
      if (port === 0) fail("EADDRINUSE", "no free ephemeral port");
    } else if (this.conflicts(binding, port)) {
      fail("EADDRINUSE", `port ${port} is taken`);
    }
    const list = this.ports.get(port) ?? [];
    list.push(binding);
    this.ports.set(port, list);
    return port;
  }

  /** Whether `socket`, bound, could listen without clashing with a listener of its port. */
  checkListen(socket: Socket, port: number): void {
    const mine = (this.ports.get(port) ?? []).find((b) => b.socket === socket);
    if (mine === undefined) return;
    const clash = (this.ports.get(port) ?? []).some(
      (b) => b.socket !== socket && b.socket.listening && overlap(b, mine) && !(b.socket.options.flag(Level.SOL_SOCKET, SocketOption.SO_REUSEPORT) && socket.options.flag(Level.SOL_SOCKET, SocketOption.SO_REUSEPORT)),
    );
    if (clash) fail("EADDRINUSE", `port ${port} already has a listener`);
  }

  /** Frees the port `socket` holds. */
  release(socket: Socket): void {
    for (const [port, list] of this.ports) {
      const rest = list.filter((b) => b.socket !== socket);
      if (rest.length === list.length) continue;
      if (rest.length === 0) this.ports.delete(port);
      else this.ports.set(port, rest);
    }
  }

  /**
   * The socket that receives what is sent to `ip`:`port` among those `accepts` allows: one
   * bound to exactly that address first, else a wildcard one.
   */
  find(ip: Ip, port: number, accepts: (s: Socket) => boolean): Socket | undefined {
    const list = (this.ports.get(port) ?? []).filter((b) => accepts(b.socket) && receives(b, ip));
    return (list.find((b) => sameIp(b.ip, ip)) ?? list[0])?.socket;
  }
}

/** The port an inet socket is bound to (0 when it is not). */
export function boundPort(socket: Socket): number {
  return socket.local !== undefined && "port" in socket.local ? socket.local.port : 0;
}

/** The IP an inet socket is bound to, if any. */
export function boundIp(socket: Socket): Ip | undefined {
  return socket.local !== undefined && "port" in socket.local ? ipOf(socket.local) : undefined;
}
