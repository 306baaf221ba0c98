// eventfd: a 64-bit counter that read drains and write adds to (EFD_SEMAPHORE reads 1). A
// write that would take it past 2^64 - 2 waits (or fails with EAGAIN) until a read makes room.
import { FileDescription, fail, OpenFlag, type StatData } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { waitAndRestart } from "./blocking.js";
import { anonymousStat } from "./pipe.js";
import { Readiness, Ready, type Pollable } from "./readiness.js";

const MAX = 0xfffffffffffffffen;
/** eventfd2 flag: each read takes 1 instead of the whole count. */
export const EFD_SEMAPHORE = 1;

/** An eventfd: the counter, its waiters and its readiness. */
export class EventFd extends FileDescription implements Pollable {
  private counter: bigint;
  readonly readiness = new Readiness();

  constructor(initial: number, private readonly semaphore: boolean, flags: number, private readonly scheduler: Scheduler) {
    super(2 | (flags & OpenFlag.O_NONBLOCK), "anon_inode:[eventfd]");
    this.counter = BigInt(initial >>> 0);
  }

  poll(): number {
    return (this.counter > 0n ? Ready.IN : 0) | (this.counter < MAX ? Ready.OUT : 0);
  }

  protected override seekable(): boolean {
    return false;
  }

  override read(length: number): Uint8Array {
    if (length < 8) fail("EINVAL", "an eventfd read needs 8 bytes");
    if (this.counter === 0n) {
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, this.readiness);
    }
    const value = this.semaphore ? 1n : this.counter;
    this.counter -= value;
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value, true);
    this.readiness.notify(Ready.OUT);
    return out;
  }

  override write(data: Uint8Array): number {
    if (data.length !== 8) fail("EINVAL", "an eventfd write is exactly 8 bytes");
    const value = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (value === 0xffffffffffffffffn) fail("EINVAL");
    if (this.counter + value > MAX) {
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, this.readiness);
    }
    this.counter += value;
    this.readiness.notify(Ready.IN);
    return 8;
  }

  /** Adds to the counter from the kernel (an AIO completion), never waiting; it saturates. */
  signal(n: bigint): void {
    this.counter = this.counter + n > MAX ? MAX : this.counter + n;
    this.readiness.notify(Ready.IN);
  }

  stat(): StatData {
    return anonymousStat(0o600);
  }
}
