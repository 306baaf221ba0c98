// epoll as Linux implements it: an interest list keyed by (fd, description) and a ready list.
// An event on a watched description (its wakeup bits meeting the interest) queues the interest;
// epoll_wait polls the queued ones in order, reports those really ready, and keeps a
// level-triggered one queued (behind the rest) while an edge-triggered one waits for its next
// event. EPOLLONESHOT disables an interest once reported, until EPOLL_CTL_MOD.
import { FileDescription, type FdTable, type StatData } from "@nanots/syscalls";
import { anonymousStat } from "./pipe.js";
import { Readiness, Ready, isPollable, type Pollable } from "./readiness.js";

/** Wake one of the epoll instances watching the file (accepted by EPOLL_CTL_ADD only). */
export const EPOLLEXCLUSIVE = 1 << 28;
/** Keep the system awake while the event is pending (accepted, meaningless here). */
export const EPOLLWAKEUP = 1 << 29;
/** Report once, then stay disabled until EPOLL_CTL_MOD. */
export const EPOLLONESHOT = 1 << 30;
/** Edge-triggered: report each new event once. */
export const EPOLLET = 1 << 31;
/** Reported whether asked for or not. */
const ALWAYS = Ready.ERR | Ready.HUP;

/** One registration: what is watched, for which events, with which user data. */
export interface Interest {
  readonly fd: number;
  readonly desc: FileDescription;
  events: number;
  data: bigint;
  /** EPOLLONESHOT fired: nothing is reported until EPOLL_CTL_MOD. */
  disabled: boolean;
  readonly unwatch: () => void;
}

/** The readiness of a watched description (only pollable ones can be added). */
function readinessOf(desc: FileDescription): number {
  return isPollable(desc) ? desc.poll() : 0;
}

/** An epoll instance: its interest list, its ready list, and its own readiness (it nests). */
export class Epoll extends FileDescription implements Pollable {
  private readonly interests = new Map<number, Interest[]>();
  /** The ready list: insertion order is report order. */
  private ready = new Set<Interest>();
  readonly readiness = new Readiness();

  constructor(
    flags: number,
    /** The fd table, to drop interests whose description has been closed (as Linux does). */
    private readonly fds: FdTable,
  ) {
    super(2 | flags, "anon_inode:[eventpoll]");
  }

  /** The interest registered for `fd` and the description now at `fd`. */
  find(fd: number, desc: FileDescription): Interest | undefined {
    for (const i of this.interests.get(fd) ?? []) if (this.closed(i)) this.remove(i);
    return this.interests.get(fd)?.find((i) => i.desc === desc);
  }

  add(fd: number, desc: FileDescription, events: number, data: bigint): void {
    const interest: Interest = {
      fd,
      desc,
      events,
      data,
      disabled: false,
      unwatch: isPollable(desc) ? desc.readiness.watch((key) => this.onEvent(interest, key)) : () => {},
    };
    this.interests.set(fd, [...(this.interests.get(fd) ?? []), interest]);
    this.queueIfReady(interest);
  }

  modify(i: Interest, events: number, data: bigint): void {
    i.events = events;
    i.data = data;
    i.disabled = false;
    this.queueIfReady(i);
  }

  remove(i: Interest): void {
    i.unwatch();
    this.ready.delete(i);
    const list = this.interests.get(i.fd)?.filter((x) => x !== i) ?? [];
    if (list.length === 0) this.interests.delete(i.fd);
    else this.interests.set(i.fd, list);
  }

  /** A watched description announced `key` events. */
  private onEvent(i: Interest, key: number): void {
    if (i.disabled || (key & (i.events | ALWAYS)) === 0) return;
    if (this.ready.has(i)) return; // already queued: it keeps its place
    this.ready.add(i);
    this.readiness.notify(Ready.IN | Ready.RDNORM);
  }

  private queueIfReady(i: Interest): void {
    if ((readinessOf(i.desc) & (i.events | ALWAYS)) !== 0) this.onEvent(i, i.events | ALWAYS);
  }

  /** An interest whose description no fd refers to any more: dropped when next met. */
  private closed(i: Interest): boolean {
    return this.fds.references(i.desc) === 0;
  }

  /**
   * Takes up to `max` ready events from the ready list, in its order. Give the result back to
   * {@link unreport} if the events could not be delivered.
   */
  collect(max: number): Array<{ interest: Interest; bits: number }> {
    const scan = [...this.ready];
    this.ready = new Set();
    const out: Array<{ interest: Interest; bits: number }> = [];
    const requeue: Interest[] = [];
    let k = 0;
    for (; k < scan.length && out.length < max; k++) {
      const i = scan[k]!;
      if (this.closed(i)) {
        this.remove(i);
        continue;
      }
      if (i.disabled) continue;
      const bits = readinessOf(i.desc) & (i.events | ALWAYS);
      if (bits === 0) continue; // the event is gone: wait for the next one
      out.push({ interest: i, bits });
      if ((i.events & EPOLLONESHOT) !== 0) i.disabled = true;
      else if ((i.events & EPOLLET) === 0) requeue.push(i);
    }
    // Not scanned: first next time; then what arrived meanwhile; then the level-triggered ones.
    this.ready = new Set([...scan.slice(k), ...this.ready, ...requeue]);
    return out;
  }

  /** Puts events back at the head of the ready list (epoll_wait could not copy them out). */
  unreport(events: Array<{ interest: Interest }>): void {
    for (const { interest } of events) interest.disabled = false;
    this.ready = new Set([...events.map((e) => e.interest), ...this.ready]);
  }

  /** Readable when a queued interest is ready (for poll and nested epoll). */
  poll(): number {
    for (const i of this.ready) if (!this.closed(i) && !i.disabled && (readinessOf(i.desc) & (i.events | ALWAYS)) !== 0) return Ready.IN | Ready.RDNORM;
    return 0;
  }

  protected override seekable(): boolean {
    return false;
  }

  stat(): StatData {
    return anonymousStat(0o600);
  }

  protected override release(): void {
    for (const list of this.interests.values()) for (const i of list) i.unwatch();
    this.interests.clear();
    this.ready.clear();
  }
}
