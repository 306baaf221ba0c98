// SCM_RIGHTS: descriptions travelling in a message. Between sendmsg and recvmsg no fd refers to
// them, so the fd table would close one whose sender closes its fd; while in flight, a closed
// description's close is deferred until the message is received (it lives on) or dropped.
import type { FileDescription } from "@nanots/syscalls";

/** Descriptions inside unread messages. */
export class FdsInFlight {
  private readonly counts = new Map<FileDescription, number>();
  /** Those whose last fd was closed while in flight. */
  private readonly orphans = new Set<FileDescription>();
  private readonly closers = new Map<FileDescription, () => void>();

  /** How many descriptions are in flight (for tests and dumps). */
  get size(): number {
    return this.counts.size;
  }

  /** A message now carries `desc`. */
  hold(desc: FileDescription): void {
    const n = this.counts.get(desc) ?? 0;
    this.counts.set(desc, n + 1);
    if (n > 0) return;
    const close = desc.close;
    this.closers.set(desc, () => close.call(desc));
    // Shadows the prototype's close while in flight.
    desc.close = () => {
      if (this.counts.has(desc)) this.orphans.add(desc);
      else close.call(desc);
    };
  }

  /** A message carrying `desc` was received (`installed`: it has an fd again) or dropped. */
  release(desc: FileDescription, installed: boolean): void {
    const n = this.counts.get(desc);
    if (n === undefined) return;
    if (n > 1) {
      this.counts.set(desc, n - 1);
      if (installed) this.orphans.delete(desc);
      return;
    }
    const close = this.closers.get(desc)!;
    this.counts.delete(desc);
    this.closers.delete(desc);
    delete (desc as Partial<Pick<FileDescription, "close">>).close;
    const orphan = this.orphans.delete(desc);
    if (orphan && !installed) close();
  }
}
