// Datagram sockets inside the VM: AF_UNIX SOCK_DGRAM (by name, connected, or a socketpair) and
// UDP over loopback. Each datagram keeps its boundaries and the sender's address.
import { AddressFamily, fail, type Sockaddr } from "@nanots/syscalls";
import { Ready } from "../io/readiness.js";
import { inetSockaddr, ipOf, sameIp, sourceIp, type Ip } from "./inet-address.js";
import { boundIp, boundPort } from "./inet-ports.js";
import { ReceiveQueue } from "./receive-queue.js";
import { MsgFlag, Shut } from "./socket-constants.js";
import { Socket, unnamedAddress, type Incoming, type Outgoing } from "./socket.js";
import { bindInet, destinationOf, inetAddress, unixPath } from "./inet-binding.js";

/** The largest UDP payload over IPv4 and IPv6. */
const UDP_MAX_V4 = 65507;
const UDP_MAX_V6 = 65527;
const ECONNREFUSED = 111;

/** An AF_UNIX SOCK_DGRAM or UDP socket. */
export class DatagramSocket extends Socket {
  private readonly queue = new ReceiveQueue();
  /** AF_UNIX: the socket it is connected to. */
  private peer: DatagramSocket | undefined;
  /** The connected address (getpeername, the default destination). */
  private remote: Sockaddr | undefined;
  /** Closed: AF_UNIX senders to it get ECONNREFUSED. */
  private closed = false;

  private get unix(): boolean {
    return this.family === AddressFamily.AF_UNIX;
  }

  /** Connects two new AF_UNIX sockets to each other (socketpair). */
  static pair(a: DatagramSocket, b: DatagramSocket): void {
    a.peer = b;
    b.peer = a;
    a.remote = b.localAddress();
    b.remote = a.localAddress();
  }

  /** Bytes it holds before senders wait (AF_UNIX) or datagrams are dropped (UDP). */
  private get capacity(): number {
    return this.options.receiveBuffer;
  }

  poll(): number {
    let bits = 0;
    if (this.queue.length > 0 || this.readShut) bits |= Ready.IN;
    if (this.readShut) bits |= Ready.RDHUP;
    if (this.error !== 0) bits |= Ready.ERR;
    if (this.readShut && this.writeShut) bits |= Ready.HUP;
    const target = this.peer;
    if (target === undefined || target.queue.bytes < target.capacity) bits |= Ready.OUT;
    return bits;
  }

  connect(address: Sockaddr): number {
    if (address.family === AddressFamily.AF_UNSPEC) {
      // Dissolves the association.
      this.peer = undefined;
      this.remote = undefined;
      return 0;
    }
    if (this.unix) {
      const target = this.unixTarget(address);
      this.peer = target;
      this.remote = target.localAddress();
      return 0;
    }
    const a = inetAddress(this, address);
    const dst = destinationOf(this, a);
    const src = sourceIp(boundIp(this), dst);
    // The source address becomes the bound one, as Linux's getsockname shows after connect.
    const port = boundPort(this);
    this.net.udp.release(this);
    this.local = undefined;
    bindInet(this, inetSockaddr(this.family, src, port), false);
    this.remote = inetSockaddr(this.family, dst, a.port);
    return 0;
  }

  private unixTarget(address: Sockaddr): DatagramSocket {
    const target = this.net.unix.lookup(unixPath(address), this.type);
    if (!(target instanceof DatagramSocket) || target.type !== this.type) fail("EPROTOTYPE", "the socket there is of another type");
    return target;
  }

  peerAddress(): Sockaddr {
    if (this.remote === undefined) fail("ENOTCONN");
    return this.remote;
  }

  send(out: Outgoing): number {
    if ((out.flags & MsgFlag.MSG_OOB) !== 0) fail("EOPNOTSUPP", "out-of-band data");
    if (this.writeShut) this.brokenPipe(out.flags);
    return this.unix ? this.sendUnix(out) : this.sendUdp(out);
  }

  private sendUnix(out: Outgoing): number {
    let target: DatagramSocket;
    if (out.to !== undefined) target = this.unixTarget(out.to);
    else if (this.peer === undefined) fail("ENOTCONN");
    else target = this.peer;
    if (target.closed) fail("ECONNREFUSED", "the receiver is closed");
    if (target.peer !== undefined && target.peer !== this) fail("EPERM", "the receiver is connected to another socket");
    if (out.data.length > this.options.sendBuffer - 32) fail("EMSGSIZE");
    if (target.readShut) this.brokenPipe(out.flags);
    if (target.queue.bytes > 0 && target.queue.bytes + out.data.length > target.capacity) this.wait(out.flags, this.options.sendTimeout, target.readiness);
    // An unnamed sender has no address: recvfrom reports a length of 0.
    target.queue.push({ data: out.data.slice(), from: this.local, rights: this.holdRights(out.rights) });
    target.readiness.notify(Ready.IN | Ready.RDNORM);
    return out.data.length;
  }

  private sendUdp(out: Outgoing): number {
    const destination = out.to ?? this.remote ?? fail("EDESTADDRREQ");
    const a = inetAddress(this, destination);
    if (out.data.length > (this.family === 2 ? UDP_MAX_V4 : UDP_MAX_V6)) fail("EMSGSIZE");
    this.throwPendingError();
    const dst = destinationOf(this, a);
    if (this.local === undefined) bindInet(this, unnamedAddress(this.family), false);
    const src = sourceIp(boundIp(this), dst);
    const port = boundPort(this);
    const target = this.net.udp.find(dst, a.port, (s) => s instanceof DatagramSocket && s.acceptsFrom(src, port));
    if (!(target instanceof DatagramSocket)) {
      // Loopback's ICMP port unreachable: a connected socket learns of it on its next call.
      if (out.to === undefined) {
        this.error = ECONNREFUSED;
        this.readiness.notify();
      }
      return out.data.length;
    }
    // A full receive buffer drops the datagram, as UDP does.
    if (target.queue.bytes + out.data.length <= target.capacity) {
      target.queue.push({ data: out.data.slice(), from: inetSockaddr(target.family, src, port) });
      target.readiness.notify(Ready.IN | Ready.RDNORM);
    }
    return out.data.length;
  }

  /** A connected UDP socket takes datagrams from its peer only. */
  private acceptsFrom(ip: Ip, port: number): boolean {
    if (this.remote === undefined || !("port" in this.remote)) return true;
    return this.remote.port === port && sameIp(ipOf(this.remote), ip);
  }

  receive(max: number, flags: number): Incoming {
    if ((flags & MsgFlag.MSG_OOB) !== 0) fail(this.unix ? "EOPNOTSUPP" : "EINVAL", "out-of-band data");
    const m = (flags & MsgFlag.MSG_PEEK) !== 0 ? this.queue.peek() : this.queue.shift();
    if (m === undefined) {
      if (!this.unix) this.throwPendingError();
      if (this.readShut) return { data: new Uint8Array(0), length: 0 };
      this.wait(flags, this.options.receiveTimeout);
    }
    this.readiness.notify();
    const peek = (flags & MsgFlag.MSG_PEEK) !== 0;
    return { data: m.data.slice(0, max), length: m.data.length, from: m.from, rights: peek ? undefined : m.rights };
  }

  /** FIONREAD: the size of the next datagram. */
  override available(): number {
    return this.queue.peek()?.data.length ?? 0;
  }

  shutdown(how: number): void {
    if (how < Shut.SHUT_RD || how > Shut.SHUT_RDWR) fail("EINVAL", `how ${how}`);
    if (!this.unix && this.remote === undefined) fail("ENOTCONN");
    if (how !== Shut.SHUT_WR) this.readShut = true;
    if (how !== Shut.SHUT_RD) this.writeShut = true;
    this.readiness.notify();
  }

  protected override release(): void {
    if (this.unix) {
      this.closed = true;
      this.net.unix.release(this);
      if (this.peer?.peer === this) this.peer.readiness.notify();
    } else {
      this.net.udp.release(this);
    }
    this.queue.clear((rights) => this.dropRights(rights));
    this.readiness.notify();
  }
}
