// The socket system calls over the in-VM network: argument checking, addresses and message
// headers in guest memory, and the fd table; the sockets do the rest.
import {
  AddressFamily, cmsgAlign, CMSGHDR_SIZE, decodeCmsgs, decodeMsghdr, decodeSockaddr, encodeCmsgs, encodeSockaddr, fail, MMSGHDR_SIZE,
  MSGHDR_SIZE, readI32, readIovecs, SOCKADDR_STORAGE_SIZE, UIO_MAXIOV, writeU32, type FdTable, type FileDescription, type Iovec,
  type Sockaddr, type SyscallHandler, type UserMemory, type Vfs,
} from "@nanots/syscalls";
import { writeFdPair } from "../io/fd-pair.js";
import type { Machine } from "../run/machine.js";
import { DatagramSocket } from "./datagram-socket.js";
import { Network } from "./network.js";
import {
  IPPROTO_TCP, IPPROTO_UDP, Level, MsgFlag, SCM_CREDENTIALS, SCM_MAX_FD, SCM_RIGHTS, SOCK_CLOEXEC, SOCK_MAX, SOCK_NONBLOCK, SocketType,
} from "./socket-constants.js";
import { Socket } from "./socket.js";
import { StreamSocket } from "./stream-socket.js";

/** The most bytes one send copies from the guest (a stream send may be short; datagrams are smaller). */
const MAX_SEND = 1 << 20;
/** Linux's MAX_RW_COUNT. */
const MAX_RW_COUNT = 0x7ffff000;

/** What the socket calls act on. */
export interface SocketContext {
  machine: Machine;
  vfs: Vfs;
  fds: FdTable;
}

const int = (v: number): number => v | 0;
const usize = (v: number): number => (v < 0 ? v + 2 ** 64 : v);

/** Overrides for `createSyscalls`: socket, socketpair, bind … shutdown. */
export function socketSyscalls(ctx: SocketContext): Record<string, SyscallHandler> {
  const { machine, fds } = ctx;
  const memory: UserMemory = machine.space;
  const network = new Network({
    scheduler: machine.scheduler,
    vfs: ctx.vfs,
    raise: (signo) => machine.signals?.raise(signo),
    callToken: () => machine.cpu.instructionsRetired,
  });

  const socketOf = (fd: number): Socket => {
    const desc = fds.get(int(fd));
    if (!(desc instanceof Socket)) fail("ENOTSOCK");
    return desc;
  };

  const copyIn = (addr: number, length: number): Uint8Array => memory.read(addr, length) ?? fail("EFAULT");

  const readAddress = (addr: number, length: number): Sockaddr => {
    const len = int(length);
    if (len < 2 || len > SOCKADDR_STORAGE_SIZE) fail("EINVAL", `address length ${len}`);
    return decodeSockaddr(copyIn(addr, len)) ?? fail("EINVAL", "address too short for its family");
  };

  /** Writes an address to a (buffer, length pointer) pair as accept/getsockname/recvfrom do. */
  const writeAddress = (addr: number, lengthAddr: number, sa: Sockaddr | undefined): void => {
    if (addr === 0) return;
    const room = readI32(memory, lengthAddr) ?? fail("EFAULT");
    if (room < 0) fail("EINVAL", "negative address length");
    const bytes = sa === undefined ? new Uint8Array(0) : encodeSockaddr(sa);
    if (!memory.write(addr, bytes.subarray(0, Math.min(room, bytes.length)))) fail("EFAULT");
    if (!writeU32(memory, lengthAddr, bytes.length)) fail("EFAULT");
  };

  const install = (socket: Socket, flags: number): number => fds.install(socket, (flags & SOCK_CLOEXEC) !== 0);

  /** A new socket of (domain, type, protocol) with the type's flags, as socket(2) checks them. */
  const create = (domain: number, typeArg: number, protocol: number): Socket => {
    const flags = typeArg & ~0xf;
    if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) !== 0) fail("EINVAL", "unknown socket flags");
    const type = typeArg & 0xf;
    if (domain < 0 || domain >= 46) fail("EAFNOSUPPORT");
    if (type >= SOCK_MAX) fail("EINVAL", `socket type ${type}`);
    if (domain === AddressFamily.AF_UNIX) {
      if (protocol !== 0 && protocol !== AddressFamily.AF_UNIX) fail("EPROTONOSUPPORT");
      if (type === SocketType.SOCK_STREAM || type === SocketType.SOCK_SEQPACKET) return new StreamSocket(network, domain, type, 0, flags);
      // Linux treats AF_UNIX SOCK_RAW as SOCK_DGRAM.
      if (type === SocketType.SOCK_DGRAM || type === SocketType.SOCK_RAW) return new DatagramSocket(network, domain, SocketType.SOCK_DGRAM, 0, flags);
      fail("ESOCKTNOSUPPORT");
    }
    if (domain === AddressFamily.AF_INET || domain === AddressFamily.AF_INET6) {
      if (type === SocketType.SOCK_STREAM) {
        if (protocol !== 0 && protocol !== IPPROTO_TCP) fail("EPROTONOSUPPORT");
        return new StreamSocket(network, domain, type, IPPROTO_TCP, flags);
      }
      if (type === SocketType.SOCK_DGRAM) {
        if (protocol !== 0 && protocol !== IPPROTO_UDP) fail("EPROTONOSUPPORT");
        return new DatagramSocket(network, domain, type, IPPROTO_UDP, flags);
      }
      fail("ESOCKTNOSUPPORT", "only stream and datagram inet sockets");
    }
    fail("EAFNOSUPPORT", `address family ${domain}`);
  };

  /** Copies the bytes of a list of iovecs from the guest (EFAULT when one is unreadable). */
  const gather = (iovs: readonly Iovec[], limit: number): Uint8Array => {
    const total = Math.min(limit, iovs.reduce((sum, v) => sum + v.len, 0));
    const out = new Uint8Array(total);
    let at = 0;
    for (const v of iovs) {
      if (at >= total) break;
      const n = Math.min(v.len, total - at);
      out.set(copyIn(v.base, n), at);
      at += n;
    }
    return out;
  };

  /** Spreads bytes over iovecs in guest memory. */
  const scatter = (iovs: readonly Iovec[], data: Uint8Array): void => {
    let at = 0;
    for (const v of iovs) {
      if (at >= data.length) break;
      const n = Math.min(v.len, data.length - at);
      if (!memory.write(v.base, data.subarray(at, at + n))) fail("EFAULT");
      at += n;
    }
  };

  const iovecsOf = (addr: number, count: number): Iovec[] => {
    if (count < 0 || count > UIO_MAXIOV) fail("EMSGSIZE", `iovlen ${count}`);
    const iovs = readIovecs(memory, addr, count) ?? fail("EFAULT", "iovec array");
    if (iovs.some((v) => v.len < 0 || v.len > MAX_RW_COUNT)) fail("EINVAL", "iovec length");
    return iovs;
  };

  /** The send size a socket may take from the guest: all of a datagram (EMSGSIZE beyond). */
  const sendLimit = (socket: Socket, length: number): number => {
    if (!socket.connectionOriented && length > MAX_SEND) fail("EMSGSIZE");
    return Math.min(length, MAX_SEND);
  };

  const sendmsg = (socket: Socket, header: number, flags: number): number => {
    const m = decodeMsghdr(copyIn(header, MSGHDR_SIZE));
    const to = m.name !== 0 && m.namelen !== 0 ? readAddress(m.name, m.namelen) : undefined;
    const iovs = iovecsOf(m.iov, m.iovlen);
    const rights = m.controllen > 0 ? passedFds(socket, copyIn(m.control, Math.min(m.controllen, 65536))) : undefined;
    const total = iovs.reduce((sum, v) => sum + v.len, 0);
    const data = gather(iovs, sendLimit(socket, total));
    return socket.send({ data, flags, to, rights });
  };

  /**
   * The descriptions of a sendmsg's SCM_RIGHTS messages (AF_UNIX). Inet sockets ignore
   * SCM_RIGHTS/SCM_CREDENTIALS and IP-level data, as Linux's do; other control data is EINVAL.
   */
  const passedFds = (socket: Socket, control: Uint8Array): FileDescription[] | undefined => {
    const cmsgs = decodeCmsgs(control) ?? fail("EINVAL", "control message length");
    const rights: FileDescription[] = [];
    const unix = socket.family === AddressFamily.AF_UNIX;
    for (const c of cmsgs) {
      const socketLevel = c.level === Level.SOL_SOCKET && (c.type === SCM_RIGHTS || c.type === SCM_CREDENTIALS);
      if (!unix && (socketLevel || c.level === Level.IPPROTO_IP || c.level === Level.IPPROTO_IPV6)) continue;
      if (!socketLevel) fail("EINVAL", `control message ${c.level}/${c.type}`);
      if (c.type === SCM_CREDENTIALS) continue;
      const v = new DataView(c.data.buffer, c.data.byteOffset, c.data.length);
      for (let at = 0; at + 4 <= c.data.length; at += 4) rights.push(fds.get(v.getInt32(at, true)));
      if (rights.length > SCM_MAX_FD) fail("EINVAL", "too many fds in one message");
    }
    return rights.length > 0 ? rights : undefined;
  };

  /**
   * Installs received descriptions as fds in a SCM_RIGHTS control message, as many as the
   * control buffer holds (the rest are closed: MSG_CTRUNC). Returns the control bytes used.
   */
  const deliverFds = (rights: FileDescription[], control: number, room: number, cloexec: boolean): { used: number; truncated: boolean } => {
    const fit = control === 0 ? 0 : Math.max(0, Math.min(rights.length, Math.floor((room - CMSGHDR_SIZE) / 4)));
    const installed: number[] = [];
    for (const [k, desc] of rights.entries()) {
      if (k < fit) installed.push(fds.install(desc, cloexec));
      network.inFlight.release(desc, k < fit);
    }
    if (fit === 0) return { used: 0, truncated: true };
    const data = new Uint8Array(4 * fit);
    installed.forEach((fd, k) => new DataView(data.buffer).setInt32(4 * k, fd, true));
    const cmsg = encodeCmsgs([{ level: Level.SOL_SOCKET, type: SCM_RIGHTS, data }]);
    if (!memory.write(control, cmsg)) fail("EFAULT");
    return { used: Math.min(cmsgAlign(cmsg.length), room), truncated: fit < rights.length };
  };

  const recvmsg = (socket: Socket, header: number, flags: number): number => {
    const bytes = copyIn(header, MSGHDR_SIZE);
    const m = decodeMsghdr(bytes);
    const iovs = iovecsOf(m.iov, m.iovlen);
    const want = Math.min(MAX_RW_COUNT, iovs.reduce((sum, v) => sum + v.len, 0));
    const r = socket.receive(want, flags);
    try {
      scatter(iovs, r.data);
    } catch (e) {
      socket.dropRights(r.rights);
      throw e;
    }
    const out = new DataView(bytes.buffer, bytes.byteOffset, MSGHDR_SIZE);
    if (m.name !== 0) {
      const name = r.from === undefined ? new Uint8Array(0) : encodeSockaddr(r.from);
      if (!memory.write(m.name, name.subarray(0, Math.min(m.namelen, name.length)))) fail("EFAULT");
      out.setUint32(8, name.length, true);
    }
    // msg_flags starts as the call's MSG_CMSG_CLOEXEC, as Linux reports it.
    let msgFlags = (flags & MsgFlag.MSG_CMSG_CLOEXEC) | (r.length > r.data.length ? MsgFlag.MSG_TRUNC : 0);
    let controlUsed = 0;
    if (r.rights !== undefined) {
      const d = deliverFds(r.rights, m.control, m.controllen, (flags & MsgFlag.MSG_CMSG_CLOEXEC) !== 0);
      controlUsed = d.used;
      if (d.truncated) msgFlags |= MsgFlag.MSG_CTRUNC;
    }
    out.setBigUint64(40, BigInt(controlUsed), true);
    out.setInt32(48, msgFlags, true);
    if (!memory.write(header, bytes)) fail("EFAULT");
    return (flags & MsgFlag.MSG_TRUNC) !== 0 ? r.length : r.data.length;
  };

  return {
    socket: ([domain, type, protocol]) => {
      const s = create(int(domain!), int(type!), int(protocol!));
      return install(s, int(type!));
    },
    socketpair: ([domain, type, protocol, sv]) => {
      const d = int(domain!);
      const a = create(d, int(type!), int(protocol!));
      if (d !== AddressFamily.AF_UNIX) fail("EOPNOTSUPP", "socketpair makes AF_UNIX sockets only");
      const b = create(d, int(type!), int(protocol!));
      if (a instanceof StreamSocket && b instanceof StreamSocket) StreamSocket.pair(a, b);
      else if (a instanceof DatagramSocket && b instanceof DatagramSocket) DatagramSocket.pair(a, b);
      const fa = install(a, int(type!));
      const fb = install(b, int(type!));
      writeFdPair(memory, fds, sv!, fa, fb);
      return 0;
    },
    bind: ([fd, addr, len]) => {
      const s = socketOf(fd!);
      s.bind(readAddress(addr!, len!));
      return 0;
    },
    listen: ([fd, backlog]) => {
      socketOf(fd!).listen(int(backlog!));
      return 0;
    },
    accept: ([fd, addr, len]) => acceptCall(fd!, addr!, len!, 0),
    accept4: ([fd, addr, len, flags]) => acceptCall(fd!, addr!, len!, int(flags!)),
    connect: ([fd, addr, len]) => socketOf(fd!).connect(readAddress(addr!, len!)),
    getsockname: ([fd, addr, len]) => {
      const s = socketOf(fd!);
      writeAddress(addr!, len!, s.localAddress());
      return 0;
    },
    getpeername: ([fd, addr, len]) => {
      const s = socketOf(fd!);
      writeAddress(addr!, len!, s.peerAddress());
      return 0;
    },
    sendto: ([fd, buf, len, flags, addr, addrlen]) => {
      const s = socketOf(fd!);
      const to = addr !== 0 ? readAddress(addr!, addrlen!) : undefined;
      const data = copyIn(buf!, sendLimit(s, usize(len!)));
      return s.send({ data, flags: int(flags!), to });
    },
    recvfrom: ([fd, buf, len, flags, addr, addrlen]) => {
      const s = socketOf(fd!);
      const f = int(flags!);
      const r = s.receive(Math.min(usize(len!), MAX_RW_COUNT), f);
      s.dropRights(r.rights);
      if (!memory.write(buf!, r.data)) fail("EFAULT");
      writeAddress(addr!, addrlen!, r.from);
      return (f & MsgFlag.MSG_TRUNC) !== 0 ? r.length : r.data.length;
    },
    sendmsg: ([fd, msg, flags]) => sendmsg(socketOf(fd!), msg!, int(flags!)),
    recvmsg: ([fd, msg, flags]) => recvmsg(socketOf(fd!), msg!, int(flags!)),
    sendmmsg: ([fd, msgvec, vlen, flags]) => {
      const s = socketOf(fd!);
      const count = Math.min(vlen! >>> 0, UIO_MAXIOV);
      let sent = 0;
      for (; sent < count; sent++) {
        const at = msgvec! + sent * MMSGHDR_SIZE;
        let n: number;
        try {
          // Only the first message may wait: a restarted call must not send the others twice.
          n = sendmsg(s, at, int(flags!) | (sent > 0 ? MsgFlag.MSG_DONTWAIT : 0));
        } catch (e) {
          if (sent > 0) break;
          throw e;
        }
        if (!writeU32(memory, at + MSGHDR_SIZE, n)) fail("EFAULT");
      }
      return sent;
    },
    setsockopt: ([fd, level, name, value, length]) => {
      const s = socketOf(fd!);
      const len = int(length!);
      if (len < 0) fail("EINVAL", "negative optlen");
      s.options.set(int(level!), int(name!), len < 4 ? new Uint8Array(len) : copyIn(value!, Math.min(len, 64)));
      return 0;
    },
    getsockopt: ([fd, level, name, value, lengthAddr]) => {
      const s = socketOf(fd!);
      const room = readI32(memory, lengthAddr!) ?? fail("EFAULT");
      if (room < 0) fail("EINVAL", "negative optlen");
      const bytes = s.options.get(int(level!), int(name!));
      const n = Math.min(room, bytes.length);
      if (!memory.write(value!, bytes.subarray(0, n))) fail("EFAULT");
      if (!writeU32(memory, lengthAddr!, n)) fail("EFAULT");
      return 0;
    },
    shutdown: ([fd, how]) => {
      socketOf(fd!).shutdown(int(how!));
      return 0;
    },
  };

  function acceptCall(fd: number, addr: number, lengthAddr: number, flags: number): number {
    const s = socketOf(fd);
    if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) !== 0) fail("EINVAL", "accept4 flags");
    const child = s.accept();
    child.flags |= flags & SOCK_NONBLOCK;
    const newFd = install(child, flags);
    try {
      writeAddress(addr, lengthAddr, child.peerAddress());
    } catch (e) {
      // As Linux: the connection was taken, and is closed with the error.
      fds.close(newFd);
      throw e;
    }
    return newFd;
  }
}
