import { describe, expect, it } from "vitest";
import { DeviceQueue } from "./device-queue.js";
import { BufferGuestMemory } from "./guest-memory.js";
import { layoutQueue } from "./ring-layout.js";
import { DescFlag } from "./virtio-constants.js";
import type { VirtioError } from "./virtio-error.js";

// These tests write the rings byte by byte from the spec's layout, independently of DriverQueue.
const SIZE = 8;
const A = layoutQueue(0x1000, SIZE);
const { NEXT, WRITE, INDIRECT } = DescFlag;

function setup(options: { eventIdx?: boolean; indirect?: boolean; memoryBytes?: number } = {}) {
  const bytes = new Uint8Array(options.memoryBytes ?? 0x10000);
  const view = new DataView(bytes.buffer);
  const memory = new BufferGuestMemory(bytes);
  const errors: VirtioError[] = [];
  const queue = new DeviceQueue({
    memory, size: SIZE, addresses: A, eventIdx: options.eventIdx === true, indirect: options.indirect === true,
    onError: (error) => errors.push(error),
  });
  let availIdx = 0;
  const desc = (table: number, index: number, addr: number, len: number, flags: number, next = 0): void => {
    const at = table + 16 * index;
    view.setBigUint64(at, BigInt(addr), true);
    view.setUint32(at + 8, len, true);
    view.setUint16(at + 12, flags, true);
    view.setUint16(at + 14, next, true);
  };
  const publish = (...heads: number[]): void => {
    for (const head of heads) view.setUint16(A.avail + 4 + 2 * (availIdx++ % SIZE), head, true);
    view.setUint16(A.avail + 2, availIdx & 0xffff, true);
  };
  const usedIdx = (): number => view.getUint16(A.used + 2, true);
  const usedEntry = (slot: number) => ({ id: view.getUint32(A.used + 4 + 8 * slot, true), len: view.getUint32(A.used + 8 + 8 * slot, true) });
  return { bytes, view, memory, queue, errors, desc, publish, usedIdx, usedEntry, table: A.desc };
}

describe("DeviceQueue: valid chains", () => {
  it("splits a chain into readable and writable segments in order", () => {
    const t = setup();
    t.desc(t.table, 3, 0x4000, 16, NEXT, 5);
    t.desc(t.table, 5, 0x5000, 100, NEXT | WRITE, 1);
    t.desc(t.table, 1, 0x6000, 1, WRITE);
    t.publish(3);
    expect(t.queue.hasAvailable()).toBe(true);
    expect(t.queue.pop()).toEqual({
      head: 3,
      readable: [{ addr: 0x4000, len: 16 }],
      writable: [{ addr: 0x5000, len: 100 }, { addr: 0x6000, len: 1 }],
    });
    expect(t.queue.pop()).toBeUndefined();
    expect(t.errors).toEqual([]);
  });

  it("writes used entries and the used index", () => {
    const t = setup();
    t.desc(t.table, 0, 0x4000, 8, WRITE);
    t.desc(t.table, 1, 0x4100, 8, WRITE);
    t.publish(0, 1);
    t.queue.pop();
    t.queue.pop();
    t.queue.push(1, 8);
    t.queue.push(0, 3);
    expect(t.usedIdx()).toBe(2);
    expect([t.usedEntry(0), t.usedEntry(1)]).toEqual([{ id: 1, len: 8 }, { id: 0, len: 3 }]);
  });

  it("follows an indirect table when negotiated", () => {
    const t = setup({ indirect: true });
    const table = 0x8000;
    t.desc(table, 0, 0x4000, 16, NEXT, 2);
    t.desc(table, 2, 0x4100, 512, NEXT | WRITE, 1);
    t.desc(table, 1, 0x4300, 1, WRITE);
    t.desc(t.table, 6, table, 48, INDIRECT);
    t.publish(6);
    expect(t.queue.pop()).toEqual({
      head: 6,
      readable: [{ addr: 0x4000, len: 16 }],
      writable: [{ addr: 0x4100, len: 512 }, { addr: 0x4300, len: 1 }],
    });
  });
});

describe("DeviceQueue: hostile chains are completed with length 0, reported, and skipped", () => {
  const cases: Array<{ name: string; code: string; build: (t: ReturnType<typeof setup>) => void; indirect?: boolean }> = [
    { name: "a loop", code: "descriptor-loop", build: (t) => { t.desc(t.table, 2, 0x4000, 4, NEXT, 3); t.desc(t.table, 3, 0x4000, 4, NEXT, 2); } },
    { name: "a self-loop", code: "descriptor-loop", build: (t) => t.desc(t.table, 2, 0x4000, 4, NEXT, 2) },
    { name: "next beyond the table", code: "bad-index", build: (t) => t.desc(t.table, 2, 0x4000, 4, NEXT, SIZE) },
    { name: "a buffer past the end of memory", code: "out-of-range", build: (t) => t.desc(t.table, 2, 0xfff0, 0x20, WRITE) },
    { name: "a huge address", code: "out-of-range", build: (t) => t.desc(t.table, 2, 2 ** 52, 1, 0) },
    { name: "readable after writable", code: "readable-after-writable", build: (t) => { t.desc(t.table, 2, 0x4000, 4, WRITE | NEXT, 4); t.desc(t.table, 4, 0x4000, 4, 0); } },
    { name: "indirect without the feature", code: "bad-indirect", build: (t) => t.desc(t.table, 2, 0x8000, 16, INDIRECT) },
    { name: "indirect with NEXT", code: "bad-indirect", indirect: true, build: (t) => t.desc(t.table, 2, 0x8000, 16, INDIRECT | NEXT, 3) },
    { name: "an indirect table of odd length", code: "bad-indirect", indirect: true, build: (t) => t.desc(t.table, 2, 0x8000, 20, INDIRECT) },
    { name: "an empty indirect table", code: "bad-indirect", indirect: true, build: (t) => t.desc(t.table, 2, 0x8000, 0, INDIRECT) },
    { name: "an indirect table outside memory", code: "bad-indirect", indirect: true, build: (t) => t.desc(t.table, 2, 0xfff0, 32, INDIRECT) },
    { name: "nested indirect tables", code: "bad-indirect", indirect: true, build: (t) => { t.desc(t.table, 2, 0x8000, 16, INDIRECT); t.desc(0x8000, 0, 0x9000, 16, INDIRECT); } },
    { name: "a loop inside an indirect table", code: "descriptor-loop", indirect: true, build: (t) => { t.desc(t.table, 2, 0x8000, 32, INDIRECT); t.desc(0x8000, 0, 0x4000, 1, NEXT, 1); t.desc(0x8000, 1, 0x4000, 1, NEXT, 0); } },
    { name: "an indirect chain longer than the queue", code: "descriptor-loop", indirect: true, build: (t) => {
      t.desc(t.table, 2, 0x8000, 16 * (SIZE + 1), INDIRECT);
      for (let i = 0; i <= SIZE; i++) t.desc(0x8000, i, 0x4000, 1, i < SIZE ? NEXT : 0, i + 1);
    } },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, () => {
      const t = setup({ indirect: c.indirect === true });
      c.build(t);
      t.desc(t.table, 7, 0x4800, 4, WRITE); // a good chain behind the bad one
      t.publish(2, 7);
      expect(t.queue.pop()).toEqual({ head: 7, readable: [], writable: [{ addr: 0x4800, len: 4 }] });
      expect(t.errors.map((e) => e.code)).toEqual([c.code]);
      expect(t.errors[0]!.message).toMatch(/queue 0: .*chain 2|queue 0: descriptor/);
      expect(t.usedIdx()).toBe(1);
      expect(t.usedEntry(0)).toEqual({ id: 2, len: 0 });
    });
  }

  it("a head index beyond the table is reported and not returned", () => {
    const t = setup();
    t.publish(SIZE + 3);
    expect(t.queue.pop()).toBeUndefined();
    expect(t.errors.map((e) => e.code)).toEqual(["bad-index"]);
    expect(t.usedIdx()).toBe(0);
  });

  it("an avail index that jumps by more than the queue size halts the queue", () => {
    const t = setup();
    t.view.setUint16(A.avail + 2, SIZE + 1, true);
    expect(t.queue.pop()).toBeUndefined();
    expect(t.queue.hasAvailable()).toBe(false);
    expect(t.queue.pop()).toBeUndefined();
    expect(t.errors.map((e) => e.code)).toEqual(["bad-avail-index"]);
  });

  it("rejects rings outside memory or misaligned at setup", () => {
    const memory = new BufferGuestMemory(new Uint8Array(0x2000));
    expect(() => new DeviceQueue({ memory, size: SIZE, addresses: { ...A, used: 0x1ffc } })).toThrowError(/used ring .* outside/);
    expect(() => new DeviceQueue({ memory, size: SIZE, addresses: { ...A, desc: 0x1008 } })).toThrowError(/16-byte aligned/);
    expect(() => new DeviceQueue({ memory, size: 6, addresses: A })).toThrowError(/power of two/);
  });
});

describe("DeviceQueue: notification suppression", () => {
  it("honours NO_INTERRUPT without EVENT_IDX", () => {
    const t = setup();
    t.desc(t.table, 0, 0x4000, 1, WRITE);
    t.publish(0, 0);
    t.queue.pop();
    t.queue.push(0, 1);
    expect(t.queue.takeInterrupt()).toBe(true);
    expect(t.queue.takeInterrupt()).toBe(false); // nothing new
    t.view.setUint16(A.avail, 1, true); // NO_INTERRUPT
    t.queue.pop();
    t.queue.push(0, 1);
    expect(t.queue.takeInterrupt()).toBe(false);
  });

  it("with EVENT_IDX interrupts only when used_event is passed, and re-arms avail_event", () => {
    const t = setup({ eventIdx: true });
    const usedEvent = A.avail + 4 + 2 * SIZE;
    const availEvent = A.used + 4 + 8 * SIZE;
    t.desc(t.table, 0, 0x4000, 1, WRITE);
    t.publish(0, 0, 0);
    t.view.setUint16(usedEvent, 2, true); // interrupt when entry 2 (the third) is used
    for (let i = 0; i < 3; i++) {
      t.queue.pop();
      t.queue.push(0, 1);
      expect(t.queue.takeInterrupt()).toBe(i === 2);
    }
    expect(t.queue.pop()).toBeUndefined();
    expect(t.view.getUint16(availEvent, true)).toBe(3);
  });
});
