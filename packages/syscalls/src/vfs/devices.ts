import { fail } from "../linux-error.js";
import { Ioctl } from "../linux-constants.js";
import type { StatData } from "../structs/stat.js";
import { writeU32, type UserMemory } from "../user-memory.js";
import { FileDescription } from "./file-description.js";
import { makedev } from "../structs/makedev.js";


/** The devices every Nanos instance has, with Linux's device numbers. */
export const DeviceNumber = {
  null: makedev(1, 3),
  zero: makedev(1, 5),
  random: makedev(1, 8),
  urandom: makedev(1, 9),
  /** Nanos describes stdio as a pseudo-terminal (`UNIX98_PTY_SLAVE_MAJOR`, 0) so glibc line-buffers stdout. */
  console: makedev(136, 0),
} as const;

/**
 * A character device whose position never moves: `lseek` returns 0 (Linux's `null_lseek`);
 * reads and writes have no position.
 */
abstract class CharDevice extends FileDescription {
  readonly #stat: () => StatData;

  constructor(flags: number, path: string, stat: () => StatData) {
    super(flags, path);
    this.#stat = stat;
  }

  override seek(): number {
    if (this.pathOnly) fail("EBADF");
    this.offset = 0;
    return 0;
  }

  override read(length: number): Uint8Array {
    if (!this.readable) fail("EBADF", "not open for reading");
    return this.readAt(length, 0);
  }

  override write(data: Uint8Array): number {
    if (!this.writable) fail("EBADF", "not open for writing");
    return this.writeAt(data);
  }

  protected override writeAt(data: Uint8Array): number {
    return data.length;
  }

  override stat(): StatData {
    return this.#stat();
  }

  /** These devices have no ioctls, FIONREAD included (Linux's mem driver). */
  override available(): number {
    fail("ENOTTY");
  }
}

/** `/dev/null`: reads end at once, writes vanish. */
export class NullDevice extends CharDevice {
  override get discardsWrites(): boolean {
    return true;
  }

  protected override readAt(): Uint8Array {
    return new Uint8Array(0);
  }
}

/** `/dev/zero`: reads give zeros, writes vanish. */
export class ZeroDevice extends CharDevice {
  override get discardsWrites(): boolean {
    return true;
  }

  protected override readAt(length: number): Uint8Array {
    return new Uint8Array(length);
  }
}

/** `/dev/urandom` (and `/dev/random`): reads come from the injected random source. */
export class RandomDevice extends CharDevice {
  readonly #random: (length: number) => Uint8Array;

  constructor(flags: number, path: string, stat: () => StatData, random: (length: number) => Uint8Array) {
    super(flags, path, stat);
    this.#random = random;
  }

  protected override readAt(length: number): Uint8Array {
    return this.#random(length);
  }
}

/** Where console output goes and input comes from. */
export interface ConsoleIo {
  /** Receives what the guest writes. */
  write(bytes: Uint8Array): void;
  /** Input for a read of at most `max` bytes; undefined or empty means end of input. */
  read?(max: number): Uint8Array | undefined;
}

/** Terminal settings `TCGETS` reports: a cooked 38400-baud 8-bit terminal, as a Linux tty starts. */
function termios(): Uint8Array {
  const b = new Uint8Array(36);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x500, true); // c_iflag: ICRNL | IXON
  v.setUint32(4, 0x5, true); // c_oflag: OPOST | ONLCR
  v.setUint32(8, 0xbf, true); // c_cflag: B38400 | CS8 | CREAD
  v.setUint32(12, 0x8a3b, true); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  // c_line = 0, then c_cc: INTR QUIT ERASE KILL EOF TIME MIN SWTC START STOP SUSP EOL REPRINT DISCARD WERASE LNEXT EOL2
  b.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0], 17);
  return b;
}

/**
 * The console: fds 0–2 at start. A terminal, so `isatty` is true (`TCGETS` answers,
 * `TIOCGWINSZ` says 80×24), not seekable; writes go to the injected sink, reads come from the
 * injected input (end of input when there is none).
 */
export class ConsoleDevice extends FileDescription {
  readonly #io: ConsoleIo;
  readonly #stat: () => StatData;

  constructor(flags: number, path: string, stat: () => StatData, io: ConsoleIo) {
    super(flags, path);
    this.#io = io;
    this.#stat = stat;
  }

  protected override seekable(): boolean {
    return false;
  }

  protected override readAt(length: number): Uint8Array {
    return this.#io.read?.(length) ?? new Uint8Array(0);
  }

  override read(length: number): Uint8Array {
    if (!this.readable) fail("EBADF", "not open for reading");
    return this.readAt(length);
  }

  override write(data: Uint8Array): number {
    if (!this.writable) fail("EBADF", "not open for writing");
    if (data.length > 0) this.#io.write(data);
    return data.length;
  }

  override stat(): StatData {
    return this.#stat();
  }

  override available(): number {
    return 0;
  }

  override ioctl(request: number, arg: number, mem: UserMemory): number {
    switch (request) {
      case Ioctl.TCGETS:
        if (!mem.write(arg, termios())) fail("EFAULT");
        return 0;
      case Ioctl.TCSETS:
      case Ioctl.TCSETSW:
      case Ioctl.TCSETSF:
        if (mem.read(arg, 36) === undefined) fail("EFAULT");
        return 0;
      case Ioctl.TIOCGWINSZ: {
        const ws = new Uint8Array(8);
        new DataView(ws.buffer).setUint16(0, 24, true);
        new DataView(ws.buffer).setUint16(2, 80, true);
        if (!mem.write(arg, ws)) fail("EFAULT");
        return 0;
      }
      case Ioctl.TIOCSWINSZ:
        return 0;
      case Ioctl.TIOCGPGRP:
        if (!writeU32(mem, arg, 1)) fail("EFAULT");
        return 0;
      default:
        fail("ENOTTY");
    }
  }
}

/** A read-only file whose content the kernel generates when it is opened (`/proc/self/maps`). */
export class GeneratedFile extends FileDescription {
  readonly #content: Uint8Array;
  readonly #stat: () => StatData;

  constructor(flags: number, path: string, stat: () => StatData, content: Uint8Array) {
    super(flags, path);
    this.#content = content;
    this.#stat = stat;
  }

  protected override readAt(length: number, position: number): Uint8Array {
    return this.#content.slice(position, position + length);
  }

  override size(): number {
    return this.#content.length;
  }

  override stat(): StatData {
    return this.#stat();
  }
}
