// The AF_UNIX namespace: filesystem names are files in the VFS (bind creates one, connect looks
// it up, unlink removes the name) mapped to the socket bound there; abstract names (a leading
// NUL byte) live only here.
import { AccessMode, errnoOf, fail, OpenFlag, type Vfs } from "@nanots/syscalls";
import type { Socket } from "./socket.js";

const decoder = new TextDecoder();
/** Abstract names are per socket type: a stream and a datagram socket may share one. */
const key = (type: number, path: Uint8Array): string => `${type}:${Array.from(path, (b) => b.toString(16).padStart(2, "0")).join("")}`;

/** Names of AF_UNIX sockets. */
export class UnixNames {
  private readonly abstract = new Map<string, Socket>();
  /** Socket files by the identity of their filesystem entry. */
  private readonly files = new Map<object, Socket>();
  private readonly owned = new Map<Socket, () => void>();
  private nextAuto = 0;

  constructor(private readonly vfs: Vfs) {}

  /** Binds `socket` to `path` (sun_path's bytes; empty: an automatic abstract name); returns the name bound. */
  bind(socket: Socket, path: Uint8Array): Uint8Array {
    if (path.length === 0) return this.autobind(socket);
    if (path[0] === 0) {
      const k = key(socket.type, path);
      if (this.abstract.has(k)) fail("EADDRINUSE", "abstract name in use");
      this.abstract.set(k, socket);
      this.owned.set(socket, () => this.abstract.delete(k));
      return path;
    }
    const name = decoder.decode(path);
    const cwd = this.vfs.getcwd();
    try {
      this.vfs.open(cwd, name, OpenFlag.O_CREAT | OpenFlag.O_EXCL | AccessMode.O_WRONLY).close();
    } catch (e) {
      if (errnoOf(e) === 17 /* EEXIST */) fail("EADDRINUSE", `${name} exists`);
      throw e;
    }
    const identity = this.vfs.resolve(cwd, name, false).node!.identity;
    this.files.set(identity, socket);
    this.owned.set(socket, () => this.files.delete(identity));
    return path;
  }

  /** Linux's autobind: an abstract name of five hex digits. */
  private autobind(socket: Socket): Uint8Array {
    for (;;) {
      const name = Uint8Array.from([0, ...new TextEncoder().encode((this.nextAuto++ & 0xfffff).toString(16).padStart(5, "0"))]);
      if (!this.abstract.has(key(socket.type, name))) return this.bind(socket, name);
    }
  }

  /**
   * The socket bound to `path`: ENOENT when no such file, ECONNREFUSED when no socket is there
   * (an abstract name only finds a socket of the caller's `type`).
   */
  lookup(path: Uint8Array, type: number): Socket {
    if (path.length === 0) fail("EINVAL", "empty AF_UNIX address");
    if (path[0] === 0) return this.abstract.get(key(type, path)) ?? fail("ECONNREFUSED", "nothing of this type bound to that abstract name");
    const node = this.vfs.resolve(this.vfs.getcwd(), decoder.decode(path), true).node;
    if (node === undefined) fail("ENOENT", decoder.decode(path));
    return this.files.get(node.identity) ?? fail("ECONNREFUSED", "no socket bound at that path");
  }

  /** Forgets the name of a closing socket (a socket file stays, as on Linux). */
  release(socket: Socket): void {
    this.owned.get(socket)?.();
    this.owned.delete(socket);
  }
}
