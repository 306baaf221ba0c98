// What every socket shares: its kind, options, pending error, shutdown state, and how its
// calls wait (the scheduler's restart, or EAGAIN when non-blocking).
import { AccessMode, AddressFamily, errnoName, FileDescription, fail, OpenFlag, type Sockaddr, type StatData } from "@nanots/syscalls";
import { waitAndRestart } from "../io/blocking.js";
import { anonymousStat } from "../io/pipe.js";
import { Readiness, type Pollable } from "../io/readiness.js";
import { bindInet, unixPath } from "./inet-binding.js";
import type { Network } from "./network.js";
import { MsgFlag, SocketType } from "./socket-constants.js";
import { SocketOptions } from "./socket-options.js";

/** What a send carries. */
export interface Outgoing {
  data: Uint8Array;
  /** MSG_* flags. */
  flags: number;
  /** sendto's address, if given. */
  to?: Sockaddr | undefined;
  /** Descriptions to pass (SCM_RIGHTS, AF_UNIX only). */
  rights?: FileDescription[] | undefined;
}

/** What a receive returns. */
export interface Incoming {
  data: Uint8Array;
  /** The message's whole length (larger than `data` when a datagram was truncated). */
  length: number;
  /** The sender (datagram sockets), else undefined. */
  from?: Sockaddr | undefined;
  /** Descriptions that came with the data (SCM_RIGHTS): the caller installs or drops them. */
  rights?: FileDescription[] | undefined;
}

/** The unnamed address of a family (what getsockname reports before bind). */
export function unnamedAddress(family: number): Sockaddr {
  if (family === AddressFamily.AF_UNIX) return { family: 1, path: new Uint8Array(0) };
  if (family === AddressFamily.AF_INET) return { family: 2, port: 0, address: new Uint8Array(4) };
  return { family: 10, port: 0, flowinfo: 0, address: new Uint8Array(16), scopeId: 0 };
}

/** A socket: a file description with the BSD socket calls. */
export abstract class Socket extends FileDescription implements Pollable {
  /** Where changes of {@link poll}'s answer are announced (poll, select, epoll, blocked calls). */
  readonly readiness = new Readiness();
  /** setsockopt/getsockopt state. */
  readonly options: SocketOptions;
  /** The address it is bound to (undefined: not bound). */
  local: Sockaddr | undefined;
  /** SO_ERROR: an error waiting to be reported (0: none). */
  error = 0;
  /** No more data will be received (our SHUT_RD, or the peer's SHUT_WR or close). */
  readShut = false;
  /** No more data may be sent (our SHUT_WR, or the peer's SHUT_RD or close on AF_UNIX). */
  writeShut = false;
  /** Set after this syscall moved data: it then returns what it has instead of blocking. */
  private movedDuring = -1;

  constructor(
    readonly net: Network,
    readonly family: number,
    readonly type: number,
    readonly protocol: number,
    flags: number,
  ) {
    super(AccessMode.O_RDWR | (flags & OpenFlag.O_NONBLOCK), "socket:");
    this.options = new SocketOptions(this);
  }

  /** The current readiness, as epoll bits. */
  abstract poll(): number;

  /** bind(2): a name in the AF_UNIX namespace, or an address and port of the VM. */
  bind(address: Sockaddr): void {
    if (this.family !== AddressFamily.AF_UNIX) return bindInet(this, address, this.connectionOriented);
    const path = unixPath(address);
    if (this.local !== undefined) fail("EINVAL", "already bound");
    this.local = { family: 1, path: this.net.unix.bind(this, path) };
  }

  /** connect(2); returns 0 or fails. */
  abstract connect(address: Sockaddr): number;
  /** The peer's address (getpeername); ENOTCONN when there is none. */
  abstract peerAddress(): Sockaddr;
  /** Sends; returns the bytes accepted. */
  abstract send(out: Outgoing): number;
  /** Receives up to `max` bytes. */
  abstract receive(max: number, flags: number): Incoming;
  /** shutdown(2). */
  abstract shutdown(how: number): void;

  /** listen(2): only connection-oriented sockets listen. */
  listen(_backlog: number): void {
    fail("EOPNOTSUPP", "not a connection-oriented socket");
  }

  /** accept(2): only connection-oriented sockets accept. */
  accept(): Socket {
    fail("EOPNOTSUPP", "not a connection-oriented socket");
  }

  /** True while listening (SO_ACCEPTCONN). */
  get listening(): boolean {
    return false;
  }

  /** getsockname: the bound address, or the family's unnamed one. */
  localAddress(): Sockaddr {
    return this.local ?? unnamedAddress(this.family);
  }

  /** Whether a call with these MSG_ flags must not block. */
  protected nonBlocking(flags = 0): boolean {
    return (this.flags & OpenFlag.O_NONBLOCK) !== 0 || (flags & MsgFlag.MSG_DONTWAIT) !== 0;
  }

  /**
   * Waits for a change of `readiness` (this socket's by default) and runs the call again, or
   * fails with EAGAIN when non-blocking; `timeoutMs` (SO_RCVTIMEO/SO_SNDTIMEO) ends the wait
   * with EAGAIN.
   */
  protected wait(flags: number, timeoutMs: number, readiness: Readiness | readonly Readiness[] = this.readiness): never {
    if (this.nonBlocking(flags)) fail("EAGAIN");
    waitAndRestart(this.net.scheduler, readiness, timeoutMs > 0 ? performance.now() + timeoutMs : Infinity, -11 /* EAGAIN */);
  }

  /** True when this same syscall already moved data (a read or write in chunks): it must not block now. */
  protected get movedThisCall(): boolean {
    return this.movedDuring === this.net.callToken();
  }

  /** Records that the current syscall moved data. */
  protected moved(): void {
    this.movedDuring = this.net.callToken();
  }

  /** Reports and clears the pending error, if any. */
  protected throwPendingError(): void {
    if (this.error === 0) return;
    const errno = this.error;
    this.error = 0;
    fail(errnoName(errno) ?? "EIO");
  }

  /** EPIPE, with SIGPIPE unless MSG_NOSIGNAL (as Linux does for writes to a shut stream). */
  protected brokenPipe(flags: number): never {
    if ((flags & MsgFlag.MSG_NOSIGNAL) === 0) this.net.raise(13 /* SIGPIPE */);
    fail("EPIPE");
  }

  override read(length: number): Uint8Array {
    const r = this.receive(length, 0);
    this.dropRights(r.rights);
    return r.data;
  }

  /** Holds passed descriptions while they travel (see {@link FdsInFlight}). */
  protected holdRights(rights: FileDescription[] | undefined): FileDescription[] | undefined {
    if (rights === undefined || rights.length === 0) return undefined;
    for (const d of rights) this.net.inFlight.hold(d);
    return rights;
  }

  /** Discards passed descriptions nobody received (read, recv without control data, close). */
  dropRights(rights: FileDescription[] | undefined): void {
    for (const d of rights ?? []) this.net.inFlight.release(d, false);
  }

  override write(data: Uint8Array): number {
    return this.send({ data, flags: 0 });
  }

  protected override seekable(): boolean {
    return false;
  }

  override available(): number {
    return 0;
  }

  stat(): StatData {
    return anonymousStat(0o140777); // S_IFSOCK
  }

  /** SOCK_STREAM/SOCK_SEQPACKET. */
  get connectionOriented(): boolean {
    return this.type !== SocketType.SOCK_DGRAM;
  }
}

