import { describe, expect, it } from "vitest";
import { errnoOf, type Sockaddr } from "@nanots/syscalls";
import { ANY4, ANY6, ipFromV4, LOOPBACK4, LOOPBACK6 } from "./inet-address.js";
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, InetPorts } from "./inet-ports.js";
import { Network } from "./network.js";
import { Ipv6Option, Level, SocketOption } from "./socket-constants.js";
import { DatagramSocket } from "./datagram-socket.js";
import { StreamSocket } from "./stream-socket.js";

// The port table alone: sockets are only asked for their family, options and listening state.
const net = new Network({ scheduler: undefined as never, vfs: undefined as never, raise: () => {}, callToken: () => 0 });
const tcp = (family = 2): StreamSocket => new StreamSocket(net, family, 1, 6, 0);
const udp = (family = 2): DatagramSocket => new DatagramSocket(net, family, 2, 17, 0);
const on = (s: StreamSocket | DatagramSocket, level: number, name: number) => s.options.set(level, name, Uint8Array.of(1, 0, 0, 0));
const errno = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (e) {
    return errnoOf(e);
  }
  return undefined;
};
const EADDRINUSE = 98;

describe("InetPorts", () => {
  it("hands out distinct ephemeral ports in Linux's range, and reuses a released one", () => {
    const ports = new InetPorts(true);
    const sockets = Array.from({ length: 50 }, () => tcp());
    const got = sockets.map((s) => ports.bind(s, LOOPBACK4, 0));
    expect(new Set(got).size).toBe(50);
    for (const p of got) expect(p >= EPHEMERAL_FIRST && p <= EPHEMERAL_LAST).toBe(true);
    ports.release(sockets[0]!);
    expect(ports.bind(tcp(), LOOPBACK4, got[0]!)).toBe(got[0]);
  });

  it("refuses overlapping addresses on one port: a wildcard covers its family, :: covers IPv4 too unless IPV6_V6ONLY", () => {
    const ports = new InetPorts(true);
    ports.bind(tcp(), LOOPBACK4, 5000);
    expect(errno(() => ports.bind(tcp(), ANY4, 5000))).toBe(EADDRINUSE);
    expect(errno(() => ports.bind(tcp(10), ANY6, 5000))).toBe(EADDRINUSE);
    expect(ports.bind(tcp(), ipFromV4([127, 0, 0, 2]), 5000)).toBe(5000); // another loopback address
    const only6 = tcp(10);
    on(only6, Level.IPPROTO_IPV6, Ipv6Option.IPV6_V6ONLY);
    expect(ports.bind(only6, ANY6, 5000)).toBe(5000);
    expect(errno(() => ports.bind(tcp(10), LOOPBACK6, 5000))).toBe(EADDRINUSE);
  });

  it("shares a port by SO_REUSEADDR (TCP: not with a listener) and by SO_REUSEPORT on both", () => {
    const ports = new InetPorts(true);
    const a = tcp();
    const b = tcp();
    on(a, Level.SOL_SOCKET, SocketOption.SO_REUSEADDR);
    on(b, Level.SOL_SOCKET, SocketOption.SO_REUSEADDR);
    ports.bind(a, LOOPBACK4, 6000);
    expect(ports.bind(b, LOOPBACK4, 6000)).toBe(6000);
    const udpPorts = new InetPorts(false);
    const u1 = udp();
    const u2 = udp();
    on(u1, Level.SOL_SOCKET, SocketOption.SO_REUSEPORT);
    udpPorts.bind(u1, ANY4, 7000);
    expect(errno(() => udpPorts.bind(u2, ANY4, 7000))).toBe(EADDRINUSE);
    on(u2, Level.SOL_SOCKET, SocketOption.SO_REUSEPORT);
    expect(udpPorts.bind(u2, ANY4, 7000)).toBe(7000);
  });

  it("delivers to the exactly bound socket before a wildcard one, and v4 to a dual-stack ::", () => {
    const ports = new InetPorts(false);
    const wild = udp(10);
    const exact = udp();
    on(wild, Level.SOL_SOCKET, SocketOption.SO_REUSEADDR);
    on(exact, Level.SOL_SOCKET, SocketOption.SO_REUSEADDR);
    ports.bind(wild, ANY6, 8000);
    ports.bind(exact, LOOPBACK4, 8000);
    const all = () => true;
    expect(ports.find(LOOPBACK4, 8000, all)).toBe(exact);
    expect(ports.find(ipFromV4([127, 0, 0, 9]), 8000, all)).toBe(wild);
    expect(ports.find(LOOPBACK6, 8000, all)).toBe(wild);
    expect(ports.find(LOOPBACK4, 8001, all)).toBeUndefined();
  });
});

describe("socket addresses", () => {
  it("a bound socket reports its address; binding twice is EINVAL, outside the VM EADDRNOTAVAIL", () => {
    const s = udp();
    const addr: Sockaddr = { family: 2, port: 0, address: Uint8Array.of(127, 0, 0, 1) };
    s.bind(addr);
    const local = s.localAddress();
    expect(local.family).toBe(2);
    expect("port" in local && local.port >= EPHEMERAL_FIRST).toBe(true);
    expect(errno(() => s.bind(addr))).toBe(22);
    expect(errno(() => udp().bind({ family: 2, port: 0, address: Uint8Array.of(8, 8, 8, 8) }))).toBe(99);
    expect(errno(() => udp().bind({ family: 10, port: 0, flowinfo: 0, address: new Uint8Array(16), scopeId: 0 }))).toBe(97);
  });
});
