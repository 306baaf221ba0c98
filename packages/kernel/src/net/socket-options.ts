// setsockopt/getsockopt: the options a socket keeps and reads back, Linux's rules for each
// (booleans read back as 0/1, buffer sizes doubled, read-only ones refused).
import { AddressFamily, fail } from "@nanots/syscalls";
import { IpOption, Ipv6Option, Level, SocketOption, SocketType, TcpOption } from "./socket-constants.js";
import type { Socket } from "./socket.js";

/** Linux's defaults and limits for SO_RCVBUF/SO_SNDBUF (net.core.rmem_max is 212992). */
const BUFFER_MAX = 212992;
const MIN_RCVBUF = 2304;
const MIN_SNDBUF = 4608;

/** Options stored as an int and read back as 0 or 1. */
const BOOLEAN = new Set([
  `${Level.SOL_SOCKET}:${SocketOption.SO_DEBUG}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_REUSEADDR}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_REUSEPORT}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_KEEPALIVE}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_BROADCAST}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_DONTROUTE}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_OOBINLINE}`,
  `${Level.SOL_SOCKET}:${SocketOption.SO_PASSCRED}`,
  `${Level.IPPROTO_TCP}:${TcpOption.TCP_NODELAY}`,
  `${Level.IPPROTO_TCP}:${TcpOption.TCP_CORK}`,
  `${Level.IPPROTO_TCP}:${TcpOption.TCP_QUICKACK}`,
  `${Level.IPPROTO_IPV6}:${Ipv6Option.IPV6_V6ONLY}`,
]);

/** Int options with a range (inclusive) and a default. */
const RANGED: ReadonlyMap<string, { min: number; max: number; initial: number }> = new Map([
  [`${Level.SOL_SOCKET}:${SocketOption.SO_RCVLOWAT}`, { min: 0, max: 0x7fffffff, initial: 1 }],
  [`${Level.SOL_SOCKET}:${SocketOption.SO_SNDLOWAT}`, { min: 1, max: 1, initial: 1 }],
  [`${Level.IPPROTO_TCP}:${TcpOption.TCP_KEEPIDLE}`, { min: 1, max: 32767, initial: 7200 }],
  [`${Level.IPPROTO_TCP}:${TcpOption.TCP_KEEPINTVL}`, { min: 1, max: 32767, initial: 75 }],
  [`${Level.IPPROTO_TCP}:${TcpOption.TCP_KEEPCNT}`, { min: 1, max: 127, initial: 9 }],
  [`${Level.IPPROTO_IP}:${IpOption.IP_TOS}`, { min: 0, max: 255, initial: 0 }],
  [`${Level.IPPROTO_IP}:${IpOption.IP_TTL}`, { min: 1, max: 255, initial: 64 }],
  [`${Level.IPPROTO_IPV6}:${Ipv6Option.IPV6_UNICAST_HOPS}`, { min: 0, max: 255, initial: 64 }],
]);

const int32 = (value: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, value, true);
  return b;
};

/** A timeout as `struct timeval` bytes. */
function timeval(ms: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  const usec = Math.round(ms * 1000);
  v.setBigInt64(0, BigInt(Math.floor(usec / 1e6)), true);
  v.setBigInt64(8, BigInt(usec % 1e6), true);
  return b;
}

/** The options of one socket. */
export class SocketOptions {
  private readonly ints = new Map<string, number>();
  /** SO_RCVBUF/SO_SNDBUF as getsockopt reports them (already doubled). */
  receiveBuffer: number;
  sendBuffer: number;
  /** SO_RCVTIMEO/SO_SNDTIMEO in milliseconds (0: wait forever). */
  receiveTimeout = 0;
  sendTimeout = 0;
  /** SO_LINGER. */
  linger = { on: 0, seconds: 0 };

  constructor(private readonly socket: Socket) {
    const tcp = socket.family !== AddressFamily.AF_UNIX && socket.type === SocketType.SOCK_STREAM;
    this.receiveBuffer = tcp ? 131072 : BUFFER_MAX;
    this.sendBuffer = tcp ? 16384 : BUFFER_MAX;
  }

  /** A boolean option's value. */
  flag(level: number, name: number): boolean {
    return (this.ints.get(`${level}:${name}`) ?? 0) !== 0;
  }

  /**
   * Whether `level` applies to this socket; else the errno Linux gives (its IPv4 getsockopt
   * says EOPNOTSUPP where everything else says ENOPROTOOPT).
   */
  private checkLevel(level: number, getting: boolean): void {
    const s = this.socket;
    if (level === Level.SOL_SOCKET) return;
    if (s.family === AddressFamily.AF_UNIX) fail("EOPNOTSUPP", "AF_UNIX sockets have only SOL_SOCKET options");
    const tcp = s.type === SocketType.SOCK_STREAM;
    if (level === Level.IPPROTO_TCP && tcp) return;
    if (level === Level.IPPROTO_IP) return;
    if (level === Level.IPPROTO_IPV6 && s.family === AddressFamily.AF_INET6) return;
    fail(getting && s.family === AddressFamily.AF_INET ? "EOPNOTSUPP" : "ENOPROTOOPT", `level ${level} on this socket`);
  }

  /** setsockopt: `value` holds the optlen bytes the program passed. */
  set(level: number, name: number, value: Uint8Array): void {
    this.checkLevel(level, false);
    const key = `${level}:${name}`;
    const readInt = (): number => {
      if (value.length < 4) fail("EINVAL", "optlen shorter than an int");
      return new DataView(value.buffer, value.byteOffset, 4).getInt32(0, true);
    };
    if (BOOLEAN.has(key)) {
      if (key === `${Level.IPPROTO_IPV6}:${Ipv6Option.IPV6_V6ONLY}` && this.socket.local !== undefined) fail("EINVAL", "IPV6_V6ONLY after bind");
      this.ints.set(key, readInt() !== 0 ? 1 : 0);
      return;
    }
    const ranged = RANGED.get(key);
    if (ranged !== undefined) {
      let v = readInt();
      if (level === Level.IPPROTO_IP && name === IpOption.IP_TTL && v === -1) v = ranged.initial;
      if (level === Level.IPPROTO_IPV6 && v === -1) v = ranged.initial;
      if (level !== Level.SOL_SOCKET && (v < ranged.min || v > ranged.max)) fail("EINVAL", `value ${v} out of range`);
      this.ints.set(key, level === Level.SOL_SOCKET ? Math.max(v, ranged.min) : v);
      return;
    }
    if (level !== Level.SOL_SOCKET) fail("ENOPROTOOPT", `option ${name} at level ${level}`);
    switch (name) {
      case SocketOption.SO_RCVBUF:
        this.receiveBuffer = Math.max(MIN_RCVBUF, 2 * Math.min(Math.max(readInt(), 0), BUFFER_MAX));
        return;
      case SocketOption.SO_SNDBUF:
        this.sendBuffer = Math.max(MIN_SNDBUF, 2 * Math.min(Math.max(readInt(), 0), BUFFER_MAX));
        return;
      case SocketOption.SO_LINGER: {
        if (value.length < 8) fail("EINVAL", "optlen shorter than struct linger");
        const v = new DataView(value.buffer, value.byteOffset, 8);
        this.linger = { on: v.getInt32(0, true) !== 0 ? 1 : 0, seconds: v.getInt32(4, true) };
        return;
      }
      case SocketOption.SO_RCVTIMEO:
      case SocketOption.SO_SNDTIMEO: {
        if (value.length < 16) fail("EINVAL", "optlen shorter than struct timeval");
        const v = new DataView(value.buffer, value.byteOffset, 16);
        const sec = Number(v.getBigInt64(0, true));
        const usec = Number(v.getBigInt64(8, true));
        if (usec < 0 || usec >= 1e6) fail("EDOM", "tv_usec out of range");
        const ms = sec < 0 ? 0 : sec * 1000 + usec / 1000;
        if (name === SocketOption.SO_RCVTIMEO) this.receiveTimeout = ms;
        else this.sendTimeout = ms;
        return;
      }
      default:
        fail("ENOPROTOOPT", `SOL_SOCKET option ${name}`);
    }
  }

  /** getsockopt: the option's whole value (the caller truncates it to optlen). */
  get(level: number, name: number): Uint8Array {
    this.checkLevel(level, true);
    const key = `${level}:${name}`;
    const s = this.socket;
    if (BOOLEAN.has(key)) return int32(this.ints.get(key) ?? 0);
    const ranged = RANGED.get(key);
    if (ranged !== undefined) return int32(this.ints.get(key) ?? ranged.initial);
    if (level !== Level.SOL_SOCKET) fail("ENOPROTOOPT", `option ${name} at level ${level}`);
    switch (name) {
      case SocketOption.SO_TYPE:
        return int32(s.type);
      case SocketOption.SO_PROTOCOL:
        return int32(s.protocol);
      case SocketOption.SO_DOMAIN:
        return int32(s.family);
      case SocketOption.SO_ACCEPTCONN:
        return int32(s.listening ? 1 : 0);
      case SocketOption.SO_ERROR: {
        const e = s.error;
        s.error = 0;
        return int32(e);
      }
      case SocketOption.SO_RCVBUF:
        return int32(this.receiveBuffer);
      case SocketOption.SO_SNDBUF:
        return int32(this.sendBuffer);
      case SocketOption.SO_LINGER: {
        const b = new Uint8Array(8);
        const v = new DataView(b.buffer);
        v.setInt32(0, this.linger.on, true);
        v.setInt32(4, this.linger.seconds, true);
        return b;
      }
      case SocketOption.SO_RCVTIMEO:
        return timeval(this.receiveTimeout);
      case SocketOption.SO_SNDTIMEO:
        return timeval(this.sendTimeout);
      case SocketOption.SO_PEERCRED: {
        // struct ucred of the peer: the one process of the VM (pid 1), root.
        if (s.family !== AddressFamily.AF_UNIX) fail("ENOPROTOOPT", "SO_PEERCRED on an inet socket");
        const b = new Uint8Array(12);
        new DataView(b.buffer).setInt32(0, 1, true);
        return b;
      }
      default:
        fail("ENOPROTOOPT", `SOL_SOCKET option ${name}`);
    }
  }
}
