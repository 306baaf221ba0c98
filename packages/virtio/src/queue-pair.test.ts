import { describe, expect, it } from "vitest";
import type { DescriptorChain } from "./descriptor-chain.js";
import { gatherFrom, scatterInto, totalLength } from "./descriptor-chain.js";
import { BUFFER_BASE, makeQueuePair } from "./testing/queue-pair.js";

// The driver half and the device half against each other over one shared memory.

function drain(pair: ReturnType<typeof makeQueuePair>): DescriptorChain[] {
  const chains: DescriptorChain[] = [];
  for (let chain = pair.device.pop(); chain !== undefined; chain = pair.device.pop()) chains.push(chain);
  return chains;
}

describe("driver vs device", () => {
  it("moves data both ways through a chain", () => {
    const pair = makeQueuePair({ size: 8 });
    pair.memory.bytes(BUFFER_BASE, 5).set([1, 2, 3, 4, 5]);
    let got = -1;
    pair.driver.submit([{ addr: BUFFER_BASE, len: 5, writable: false }, { addr: BUFFER_BASE + 100, len: 10, writable: true }], (len) => (got = len));
    const [chain] = drain(pair);
    const request = new Uint8Array(totalLength(chain!.readable));
    gatherFrom(pair.memory, chain!.readable, 0, request);
    const reply = request.map((b) => b * 10);
    pair.device.push(chain!.head, scatterInto(pair.memory, chain!.writable, 0, reply));
    expect(pair.driver.reap()).toBe(1);
    expect(got).toBe(5);
    expect([...pair.memory.bytes(BUFFER_BASE + 100, 5)]).toEqual([10, 20, 30, 40, 50]);
  });

  it("fills the ring, queues the overflow, and drains everything", () => {
    const pair = makeQueuePair({ size: 4 });
    const done: number[] = [];
    for (let i = 0; i < 10; i++) pair.driver.submit([{ addr: BUFFER_BASE + i, len: 1, writable: true }], () => done.push(i));
    expect(pair.driver.freeDescriptors).toBe(0);
    expect(pair.driver.waitingRequests).toBe(6);
    while (done.length < 10) {
      const chains = drain(pair);
      expect(chains.length).toBeGreaterThan(0);
      expect(chains.length).toBeLessThanOrEqual(4);
      for (const chain of chains) pair.device.push(chain.head, 0);
      pair.driver.reap();
    }
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pair.errors).toEqual([]);
  });

  it("completes out of order and gives each completion to its own request", () => {
    const pair = makeQueuePair({ size: 8 });
    const done: Array<[number, number]> = [];
    for (let i = 0; i < 6; i++) pair.driver.submit([{ addr: BUFFER_BASE + 16 * i, len: 16, writable: true }], (len) => done.push([i, len]));
    const chains = drain(pair);
    const order = [4, 0, 5, 2, 1, 3];
    for (const k of order) {
      const chain = chains[k]!;
      // The device tags each buffer with its own length so that a mix-up would show.
      pair.device.push(chain.head, (chain.writable[0]!.addr - BUFFER_BASE) / 16 + 1);
    }
    pair.driver.reap();
    expect(done).toEqual(order.map((k) => [k, k + 1]));
  });

  it("stays correct across the 16-bit index wrap", () => {
    const pair = makeQueuePair({ size: 4 });
    let completed = 0;
    const rounds = 65536 + 100;
    for (let i = 0; i < rounds; i += 3) {
      for (let j = 0; j < 3; j++) pair.driver.submit([{ addr: BUFFER_BASE, len: 4, writable: true }], (len) => { expect(len).toBe(4); completed++; });
      for (const chain of drain(pair)) pair.device.push(chain.head, 4);
      pair.driver.reap();
    }
    expect(completed).toBe(Math.ceil(rounds / 3) * 3);
    expect(pair.errors).toEqual([]);
  });

  it("with EVENT_IDX kicks once and interrupts once per batch, across the 16-bit wrap", () => {
    const pair = makeQueuePair({ size: 4, eventIdx: true });
    let kicks = 0;
    let interrupts = 0;
    let completed = 0;
    const rounds = Math.ceil((65536 + 200) / 3);
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < 3; j++) {
        pair.driver.submit([{ addr: BUFFER_BASE, len: 4, writable: true }], () => completed++);
        if (pair.driver.kickNeeded()) kicks++;
      }
      for (const chain of drain(pair)) pair.device.push(chain.head, 4);
      if (pair.device.takeInterrupt()) interrupts++;
      pair.driver.reap();
    }
    expect(completed).toBe(rounds * 3);
    expect(kicks).toBe(rounds);
    expect(interrupts).toBe(rounds);
  });

  it("carries large requests through indirect tables", () => {
    const pair = makeQueuePair({ size: 8, indirectSegments: 8 });
    const segments = Array.from({ length: 6 }, (_, i) => ({ addr: BUFFER_BASE + 64 * i, len: 64, writable: i >= 2 }));
    const lengths: number[] = [];
    for (let i = 0; i < 8; i++) pair.driver.submit(segments, (len) => lengths.push(len));
    expect(pair.driver.waitingRequests).toBe(0); // 48 segments in an 8-entry queue
    const chains = drain(pair);
    expect(chains).toHaveLength(8);
    expect(chains[0]!.readable.map((s) => s.addr)).toEqual(segments.slice(0, 2).map((s) => s.addr));
    expect(chains[0]!.writable.map((s) => s.addr)).toEqual(segments.slice(2).map((s) => s.addr));
    for (const chain of chains) pair.device.push(chain.head, totalLength(chain.writable));
    pair.driver.reap();
    expect(lengths).toEqual(Array(8).fill(4 * 64));
  });

  it("with EVENT_IDX suppresses kicks while the device is busy and interrupts only when asked", () => {
    const pair = makeQueuePair({ size: 8, eventIdx: true });
    const one = [{ addr: BUFFER_BASE, len: 1, writable: true }];
    pair.driver.submit(one, () => {});
    expect(pair.driver.kickNeeded()).toBe(true); // avail_event starts at 0
    const first = pair.device.pop()!;
    // The device has not yet found the ring empty, so avail_event is stale: no kick needed.
    pair.driver.submit(one, () => {});
    expect(pair.driver.kickNeeded()).toBe(false);
    const second = pair.device.pop()!;
    expect(pair.device.pop()).toBeUndefined(); // empty: re-arms avail_event
    pair.driver.submit(one, () => {});
    expect(pair.driver.kickNeeded()).toBe(true);

    pair.driver.interruptAfter(2);
    pair.device.push(first.head, 1);
    expect(pair.device.takeInterrupt()).toBe(false);
    pair.device.push(second.head, 1);
    expect(pair.device.takeInterrupt()).toBe(true);
    expect(pair.driver.reap()).toBe(2); // re-arms used_event for the next completion
    pair.device.push(pair.device.pop()!.head, 1);
    expect(pair.device.takeInterrupt()).toBe(true);
    pair.driver.reap();

    pair.driver.setInterrupts(false);
    pair.driver.submit(one, () => {});
    pair.device.push(pair.device.pop()!.head, 1);
    expect(pair.device.takeInterrupt()).toBe(false);
  });
});
