// epoll: an interest list of pollable descriptions; epoll_wait reports the ready ones, level-
// or edge-triggered, with EPOLLONESHOT; a waiting thread wakes when any of them changes.
import { FileDescription, type StatData } from "@nanots/syscalls";
import { anonymousStat } from "./pipe.js";
import { Readiness, Ready, isPollable } from "./readiness.js";

export const EPOLLONESHOT = 1 << 30;
export const EPOLLET = 1 << 31;

interface Interest {
  desc: FileDescription;
  events: number;
  data: bigint;
  /** Bits reported last time (edge-triggered: only new bits are reported again). */
  reported: number;
  disabled: boolean;
  unwatch: () => void;
}

/** The readiness of a description: pollable kinds say; files and the console are always ready. */
function readinessOf(desc: FileDescription): number {
  return isPollable(desc) ? desc.poll() : Ready.IN | Ready.OUT;
}

export class Epoll extends FileDescription {
  readonly interests = new Map<number, Interest>();
  readonly readiness = new Readiness();

  constructor(flags: number) {
    super(2 | flags, "anon_inode:[eventpoll]");
  }

  add(fd: number, desc: FileDescription, events: number, data: bigint): void {
    const unwatch = isPollable(desc) ? desc.readiness.watch(() => this.readiness.notify()) : () => {};
    this.interests.set(fd, { desc, events, data, reported: 0, disabled: false, unwatch });
  }

  modify(fd: number, events: number, data: bigint): void {
    const i = this.interests.get(fd)!;
    i.events = events;
    i.data = data;
    i.reported = 0;
    i.disabled = false;
  }

  remove(fd: number): void {
    this.interests.get(fd)?.unwatch();
    this.interests.delete(fd);
  }

  /** Up to `max` ready events as [events, data] pairs. */
  collect(max: number): Array<[number, bigint]> {
    const out: Array<[number, bigint]> = [];
    for (const i of this.interests.values()) {
      if (out.length >= max) break;
      if (i.disabled) continue;
      const now = readinessOf(i.desc) & (i.events | Ready.ERR | Ready.HUP);
      const fresh = (i.events & EPOLLET) !== 0 ? now & ~i.reported : now;
      i.reported = now;
      if (fresh === 0) continue;
      out.push([fresh, i.data]);
      if ((i.events & EPOLLONESHOT) !== 0) i.disabled = true;
    }
    return out;
  }

  protected override seekable(): boolean {
    return false;
  }

  stat(): StatData {
    return anonymousStat(0o600);
  }

  protected override release(): void {
    for (const i of this.interests.values()) i.unwatch();
    this.interests.clear();
  }
}
