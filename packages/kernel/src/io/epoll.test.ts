import { FdTable, FileDescription, type StatData } from "@nanots/syscalls";
import { describe, expect, it } from "vitest";
import { anonymousStat } from "./pipe.js";
import { Epoll, EPOLLET, EPOLLONESHOT } from "./epoll.js";
import { Readiness, Ready, type Pollable } from "./readiness.js";

/** A pollable description whose readiness the test sets, announcing events as it likes. */
class Probe extends FileDescription implements Pollable {
  readonly readiness = new Readiness();
  bits = 0;
  constructor() {
    super(2, "probe");
  }
  poll(): number {
    return this.bits;
  }
  /** Becomes `bits` and announces an event with key `key`. */
  set(bits: number, key = bits): void {
    this.bits = bits;
    this.readiness.notify(key);
  }
  stat(): StatData {
    return anonymousStat(0o600);
  }
}

function setup(...events: number[]) {
  const fds = new FdTable();
  const ep = new Epoll(0, fds);
  fds.install(ep, false);
  const probes = events.map((e, k) => {
    const p = new Probe();
    const fd = fds.install(p, false);
    ep.add(fd, p, e, BigInt(k));
    return p;
  });
  const wait = (max = 8): Array<[number, bigint]> => ep.collect(max).map(({ interest, bits }) => [bits, interest.data]);
  return { fds, ep, probes, wait };
}

describe("Epoll", () => {
  it("level-triggered: reported while ready, gone when not", () => {
    const { probes, wait } = setup(Ready.IN);
    expect(wait()).toEqual([]);
    probes[0]!.set(Ready.IN);
    expect(wait()).toEqual([[Ready.IN, 0n]]);
    expect(wait()).toEqual([[Ready.IN, 0n]]);
    probes[0]!.bits = 0; // no longer ready, with no event
    expect(wait()).toEqual([]);
    expect(wait()).toEqual([]);
  });

  it("edge-triggered: one report per event, even when the level never fell", () => {
    const { probes, wait } = setup(Ready.IN | EPOLLET);
    probes[0]!.set(Ready.IN);
    expect(wait()).toEqual([[Ready.IN, 0n]]);
    expect(wait()).toEqual([]);
    probes[0]!.set(Ready.IN); // more data: a new event
    expect(wait()).toEqual([[Ready.IN, 0n]]);
    probes[0]!.set(Ready.IN, Ready.OUT); // an event this interest does not ask for
    expect(wait()).toEqual([]);
    probes[0]!.set(Ready.IN | Ready.HUP, 0xffffffff); // a hangup is always of interest
    expect(wait()).toEqual([[Ready.IN | Ready.HUP, 0n]]);
  });

  it("EPOLLONESHOT: silent after one report until modified", () => {
    const { ep, probes, wait } = setup(Ready.IN | EPOLLONESHOT);
    probes[0]!.set(Ready.IN);
    expect(wait()).toEqual([[Ready.IN, 0n]]);
    probes[0]!.set(Ready.IN);
    expect(wait()).toEqual([]);
    ep.modify(ep.find(1, probes[0]!)!, Ready.IN | EPOLLONESHOT, 9n);
    expect(wait()).toEqual([[Ready.IN, 9n]]);
  });

  it("serves ready interests round robin when maxevents is smaller", () => {
    const { probes, wait } = setup(Ready.IN, Ready.IN, Ready.IN);
    for (const p of probes) p.set(Ready.IN);
    expect(wait(2)).toEqual([[Ready.IN, 0n], [Ready.IN, 1n]]);
    expect(wait(2)).toEqual([[Ready.IN, 2n], [Ready.IN, 0n]]);
    expect(wait(2)).toEqual([[Ready.IN, 1n], [Ready.IN, 2n]]);
  });

  it("gives back events it could not deliver, and drops interests of closed files", () => {
    const { fds, ep, probes, wait } = setup(Ready.IN | EPOLLET, Ready.IN);
    probes[0]!.set(Ready.IN);
    ep.unreport(ep.collect(8));
    expect(wait()).toEqual([[Ready.IN, 0n]]);
    probes[1]!.set(Ready.IN);
    fds.close(2);
    expect(wait()).toEqual([]);
    expect(ep.find(2, probes[1]!)).toBeUndefined();
  });

  it("is readable itself while an interest is ready (nested epoll, poll on the epoll fd)", () => {
    const { ep, probes } = setup(Ready.IN);
    expect(ep.poll()).toBe(0);
    probes[0]!.set(Ready.IN);
    expect(ep.poll() & Ready.IN).toBe(Ready.IN);
  });
});
