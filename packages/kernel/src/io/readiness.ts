// The one notification mechanism of the I/O objects: each reports its readiness as epoll bits,
// and tells its watchers (epoll instances, the scheduler's waiters) when an event happens, with
// the event's bits as Linux passes them to a wait queue's wakeup (its "key").

/** epoll (and poll) event bits. */
export const Ready = { IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, RDNORM: 0x40, WRNORM: 0x100, RDHUP: 0x2000 } as const;

/** Every event bit: a change whose kind is not known (a close, a reset). */
export const ANY_EVENT = 0xffffffff;

/** Something a thread can wait on for readiness. */
export class Readiness {
  private readonly watchers = new Set<(events: number) => void>();

  /** Calls `watcher` after every event until the returned function is called. */
  watch(watcher: (events: number) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Tells the watchers that `events` may have become ready (default: any of them). */
  notify(events: number = ANY_EVENT): void {
    for (const w of [...this.watchers]) w(events);
  }
}

/** A file description that can be polled. */
export interface Pollable {
  /** The current readiness (epoll bits). */
  poll(): number;
  /** Where events are announced. */
  readonly readiness: Readiness;
}

/** Whether a description can be polled. */
export function isPollable(x: unknown): x is Pollable {
  return typeof x === "object" && x !== null && "poll" in x && "readiness" in x;
}
