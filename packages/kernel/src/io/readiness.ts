// The one notification mechanism of the I/O objects: each reports its readiness as epoll bits,
// and tells its watchers (epoll instances, the scheduler's waiters) when it may have changed.

/** epoll event bits. */
export const Ready = { IN: 0x1, OUT: 0x4, ERR: 0x8, HUP: 0x10, RDHUP: 0x2000 } as const;

/** Something a thread can wait on for readiness. */
export class Readiness {
  private readonly watchers = new Set<() => void>();

  /** Calls `watcher` after every change until the returned function is called. */
  watch(watcher: () => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Tells the watchers the readiness may have changed. */
  notify(): void {
    for (const w of [...this.watchers]) w();
  }
}

/** A file description that can be polled. */
export interface Pollable {
  /** The current readiness (epoll bits). */
  poll(): number;
  /** Where changes are announced. */
  readonly readiness: Readiness;
}

/** Whether a description can be polled. */
export function isPollable(x: unknown): x is Pollable {
  return typeof x === "object" && x !== null && "poll" in x && "readiness" in x;
}
