// Connection-oriented sockets inside the VM: AF_UNIX SOCK_STREAM and SOCK_SEQPACKET, and TCP
// over loopback. A connection is two sockets, each receiving into its own queue; connect makes
// the server's end at once and queues it for accept (the kernel does the handshake).
import { AddressFamily, fail, type Sockaddr } from "@nanots/syscalls";
import { Ready } from "../io/readiness.js";
import { inetSockaddr, ipOf, sourceIp } from "./inet-address.js";
import { bindInet, destinationOf, inetAddress, unixPath } from "./inet-binding.js";
import { boundIp, boundPort } from "./inet-ports.js";
import { ReceiveQueue } from "./receive-queue.js";
import { MsgFlag, Shut, SocketType, SOMAXCONN } from "./socket-constants.js";
import { Socket, unnamedAddress, type Incoming, type Outgoing } from "./socket.js";

/** Bytes a connection's direction holds before the sender waits. */
export const STREAM_CAPACITY = 256 * 1024;

const EPIPE = 32;
const ECONNRESET = 104;
const ECONNREFUSED = 111;

/** An AF_UNIX or TCP stream socket (or AF_UNIX SOCK_SEQPACKET). */
export class StreamSocket extends Socket {
  private state: "idle" | "listening" | "connected" = "idle";
  /** The other end while it is open. */
  private peer: StreamSocket | undefined;
  /** The other end's address (getpeername), kept after it closes. */
  private remote: Sockaddr | undefined;
  /** The peer closed (TCP: writes fail with EPIPE). */
  private peerGone = false;
  private readonly queue = new ReceiveQueue();
  /** Connections waiting for accept. */
  private readonly pending: StreamSocket[] = [];
  private backlog = 0;
  /** A non-blocking connect said EINPROGRESS: the next connect reports how it ended. */
  private connecting = false;

  override get listening(): boolean {
    return this.state === "listening";
  }

  private get unix(): boolean {
    return this.family === AddressFamily.AF_UNIX;
  }

  private get records(): boolean {
    return this.type === SocketType.SOCK_SEQPACKET;
  }

  /** Joins two new sockets into a connection (socketpair). */
  static pair(a: StreamSocket, b: StreamSocket): void {
    a.join(b);
    b.join(a);
    a.remote = b.localAddress();
    b.remote = a.localAddress();
  }

  private join(peer: StreamSocket): void {
    this.state = "connected";
    this.peer = peer;
  }

  private notifyBoth(): void {
    this.readiness.notify();
    this.peer?.readiness.notify();
  }

  poll(): number {
    if (this.state === "listening") return this.pending.length > 0 ? Ready.IN : 0;
    let bits = 0;
    if (this.queue.length > 0 || this.readShut) bits |= Ready.IN;
    if (this.readShut) bits |= Ready.RDHUP;
    if (this.error !== 0) bits |= Ready.ERR;
    if (this.state === "idle" || (this.readShut && this.writeShut)) bits |= Ready.HUP;
    const room = this.peer === undefined || STREAM_CAPACITY - this.peer.queue.bytes > 0;
    if (this.state !== "connected" || this.writeShut || this.peerGone || room) bits |= Ready.OUT;
    return bits;
  }

  override listen(backlog: number): void {
    if (this.state === "connected") fail("EINVAL", "connected");
    const size = backlog < 0 || backlog > SOMAXCONN ? SOMAXCONN : backlog;
    if (this.unix) {
      if (this.local === undefined) fail("EINVAL", "an AF_UNIX socket must be bound to listen");
    } else {
      if (this.local === undefined) bindInet(this, unnamedAddress(this.family), true);
      this.net.tcp.checkListen(this, boundPort(this));
    }
    this.backlog = size;
    this.state = "listening";
    this.readiness.notify();
  }

  override accept(): Socket {
    if (this.state !== "listening") fail("EINVAL", "not listening");
    const child = this.pending.shift();
    if (child === undefined) this.wait(0, this.options.receiveTimeout);
    this.readiness.notify();
    return child;
  }

  connect(address: Sockaddr): number {
    if (this.state === "listening") fail(this.unix ? "EINVAL" : "EISCONN");
    if (this.connecting) {
      this.connecting = false;
      this.throwPendingError();
      if (this.state === "connected") return 0;
    }
    if (this.state === "connected") fail("EISCONN");
    const { listener, remote, local } = this.unix ? this.findUnixListener(address) : this.findTcpListener(address);
    if (this.unix && listener.pending.length > listener.backlog) this.wait(0, this.options.sendTimeout, listener.readiness);
    if (!this.unix && listener.pending.length >= SOMAXCONN) fail("ECONNREFUSED", "accept queue full");
    const child = new StreamSocket(this.net, listener.family, this.type, this.protocol, 0);
    child.local = local;
    // The server sees the client's address in its own family (v4-mapped on an AF_INET6 listener).
    const mine = this.localAddress();
    child.remote = "port" in mine ? inetSockaddr(listener.family, ipOf(mine), mine.port) : mine;
    this.remote = remote;
    this.join(child);
    child.join(this);
    listener.pending.push(child);
    listener.readiness.notify();
    this.readiness.notify();
    // A non-blocking TCP connect reports EINPROGRESS as Linux does; it is done already.
    if (!this.unix && this.nonBlocking()) this.inProgress();
    return 0;
  }

  private inProgress(): never {
    this.connecting = true;
    this.readiness.notify();
    fail("EINPROGRESS");
  }

  private findUnixListener(address: Sockaddr): { listener: StreamSocket; remote: Sockaddr; local: Sockaddr } {
    const target = this.net.unix.lookup(unixPath(address), this.type);
    if (!(target instanceof StreamSocket) || target.type !== this.type) fail("EPROTOTYPE", "the socket there is of another type");
    if (!target.listening) fail("ECONNREFUSED", "not listening");
    return { listener: target, remote: target.localAddress(), local: target.localAddress() };
  }

  private findTcpListener(address: Sockaddr): { listener: StreamSocket; remote: Sockaddr; local: Sockaddr } {
    const a = inetAddress(this, address);
    const dst = destinationOf(this, a);
    const src = sourceIp(boundIp(this), dst);
    if (this.local === undefined) bindInet(this, inetSockaddr(this.family, src, 0), true);
    else this.local = inetSockaddr(this.family, src, boundPort(this));
    const listener = a.port === 0 ? undefined : this.net.tcp.find(dst, a.port, (s) => s instanceof StreamSocket && s.listening);
    if (listener === undefined) {
      // Loopback answers a SYN to a closed port with a RST at once.
      if (this.nonBlocking()) {
        this.error = ECONNREFUSED;
        this.inProgress();
      }
      fail("ECONNREFUSED");
    }
    return {
      listener: listener as StreamSocket,
      remote: inetSockaddr(this.family, dst, a.port),
      local: inetSockaddr(listener.family, dst, a.port),
    };
  }

  peerAddress(): Sockaddr {
    if (this.state !== "connected" || this.remote === undefined) fail("ENOTCONN");
    return this.remote;
  }

  send(out: Outgoing): number {
    if ((out.flags & MsgFlag.MSG_OOB) !== 0) fail("EOPNOTSUPP", "out-of-band data");
    if (this.unix && out.to !== undefined && !this.records) fail(this.state === "connected" ? "EISCONN" : "EOPNOTSUPP");
    if (this.state !== "connected") {
      if (this.unix) fail("ENOTCONN");
      this.brokenPipe(out.flags);
    }
    if (!this.unix && this.error !== 0) {
      // A RST arrived: its error once (EPIPE, with SIGPIPE, after our FIN'd peer), then EPIPE.
      if (this.error === EPIPE) {
        this.error = 0;
        this.brokenPipe(out.flags);
      }
      this.throwPendingError();
    }
    if (this.writeShut) this.brokenPipe(out.flags);
    if (this.peerGone && !this.unix) {
      // The peer closed: this write still goes out, and its answer is a RST.
      this.error = EPIPE;
      this.writeShut = true;
      this.readiness.notify();
      return out.data.length;
    }
    if (this.peer === undefined) this.brokenPipe(out.flags);
    const peer = this.peer;
    const length = out.data.length;
    if (this.records && length > STREAM_CAPACITY) fail("EMSGSIZE");
    if (length === 0 && !this.records) return 0;
    const room = STREAM_CAPACITY - peer.queue.bytes;
    if (room <= 0 || (this.records && room < length)) {
      if (this.movedThisCall) return 0;
      this.wait(out.flags, this.options.sendTimeout);
    }
    const n = this.records ? length : Math.min(room, length);
    peer.queue.push({ data: out.data.slice(0, n), rights: this.holdRights(out.rights) });
    this.moved();
    // New data is an input event for the peer only (edge-triggered epoll reports exactly this).
    peer.readiness.notify(Ready.IN | Ready.RDNORM);
    return n;
  }

  receive(max: number, flags: number): Incoming {
    if ((flags & MsgFlag.MSG_OOB) !== 0) fail(this.unix ? "EOPNOTSUPP" : "EINVAL", "out-of-band data");
    if (this.state !== "connected") fail(this.unix && !this.records ? "EINVAL" : "ENOTCONN");
    const peek = (flags & MsgFlag.MSG_PEEK) !== 0;
    if (this.queue.length > 0) {
      if (this.records) {
        const m = peek ? this.queue.peek()! : this.queue.shift()!;
        this.afterRead();
        return { data: m.data.slice(0, max), length: m.data.length, rights: peek ? undefined : m.rights };
      }
      // MSG_WAITALL waits for the whole count (while it could still come).
      const more = this.queue.bytes < max && !this.readShut && this.error === 0 && this.queue.bytes < STREAM_CAPACITY;
      if ((flags & MsgFlag.MSG_WAITALL) !== 0 && more && !peek && !this.movedThisCall) this.wait(flags, this.options.receiveTimeout);
      const first = this.queue.peek()!;
      const rights = peek ? undefined : first.rights;
      if (!peek) first.rights = undefined;
      const data = this.queue.takeBytes(Math.min(max, this.queue.streamSpan()), peek);
      if (!peek) this.afterRead();
      return { data, length: data.length, rights };
    }
    this.throwPendingError();
    if (this.readShut || max === 0 || this.movedThisCall) return { data: new Uint8Array(0), length: 0 };
    this.wait(flags, this.options.receiveTimeout);
  }

  override available(): number {
    return this.queue.bytes;
  }

  private afterRead(): void {
    this.moved();
    this.notifyBoth();
  }

  shutdown(how: number): void {
    if (how < Shut.SHUT_RD || how > Shut.SHUT_RDWR) fail("EINVAL", `how ${how}`);
    const reading = how !== Shut.SHUT_WR;
    const writing = how !== Shut.SHUT_RD;
    if (!this.unix && this.state === "idle") fail("ENOTCONN");
    if (this.state === "listening") {
      // Shutting a listener's reading stops it listening: blocked accepts return EINVAL.
      if (reading && !this.unix) this.stopListening();
      return;
    }
    if (reading) {
      this.readShut = true;
      if (this.unix && this.peer !== undefined) this.peer.writeShut = true;
    }
    if (writing) {
      this.writeShut = true;
      if (this.peer !== undefined) this.peer.readShut = true;
    }
    this.notifyBoth();
  }

  private stopListening(): void {
    this.state = "idle";
    for (const child of this.pending.splice(0)) child.close();
    this.readiness.notify();
  }

  /** The other end closed: end of file after the queued data, and no more writing. */
  private peerClosed(unread: boolean): void {
    this.peer = undefined;
    this.readShut = true;
    this.peerGone = true;
    if (this.unix) this.writeShut = true;
    // Closing with unread data resets the connection (TCP sends a RST; AF_UNIX does the same).
    if (unread) this.error = ECONNRESET;
    this.readiness.notify();
  }

  protected override release(): void {
    if (this.state === "listening") this.stopListening();
    this.peer?.peerClosed(this.queue.bytes > 0 || this.queue.length > 0);
    this.peer = undefined;
    this.queue.clear((rights) => this.dropRights(rights));
    if (this.unix) this.net.unix.release(this);
    else this.net.tcp.release(this);
    this.readiness.notify();
  }
}
