import { describe, expect, it } from "vitest";
import { DriverQueue } from "./driver-queue.js";
import { BufferGuestMemory } from "./guest-memory.js";
import { layoutQueue } from "./ring-layout.js";
import { DescFlag } from "./virtio-constants.js";

// These tests decode what the driver wrote byte by byte, independently of DeviceQueue.
const SIZE = 4;
const A = layoutQueue(0x1000, SIZE);

function setup(options: { eventIdx?: boolean; indirect?: boolean } = {}) {
  const bytes = new Uint8Array(0x20000);
  const view = new DataView(bytes.buffer);
  const memory = new BufferGuestMemory(bytes);
  const queue = new DriverQueue({
    memory, size: SIZE, addresses: A, eventIdx: options.eventIdx === true,
    ...(options.indirect === true ? { indirect: { addr: 0x8000, maxSegments: 4 } } : {}),
  });
  const desc = (table: number, i: number) => ({
    addr: Number(view.getBigUint64(table + 16 * i, true)), len: view.getUint32(table + 16 * i + 8, true),
    flags: view.getUint16(table + 16 * i + 12, true), next: view.getUint16(table + 16 * i + 14, true),
  });
  const availIdx = () => view.getUint16(A.avail + 2, true);
  const availRing = (slot: number) => view.getUint16(A.avail + 4 + 2 * slot, true);
  let usedIdx = 0;
  const complete = (id: number, len: number) => {
    view.setUint32(A.used + 4 + 8 * (usedIdx % SIZE), id, true);
    view.setUint32(A.used + 8 + 8 * (usedIdx % SIZE), len, true);
    view.setUint16(A.used + 2, ++usedIdx, true);
  };
  return { view, queue, desc, availIdx, availRing, complete };
}

const { NEXT, WRITE, INDIRECT } = DescFlag;

describe("DriverQueue", () => {
  it("writes a chain as the spec lays it out and publishes its head", () => {
    const t = setup();
    t.queue.submit([{ addr: 0x4000, len: 16, writable: false }, { addr: 0x5000, len: 512, writable: true }, { addr: 0x6000, len: 1, writable: true }], () => {});
    expect(t.availIdx()).toBe(1);
    const head = t.availRing(0);
    const first = t.desc(A.desc, head);
    const second = t.desc(A.desc, first.next);
    const third = t.desc(A.desc, second.next);
    expect([first, second, third].map(({ addr, len, flags }) => ({ addr, len, flags }))).toEqual([
      { addr: 0x4000, len: 16, flags: NEXT },
      { addr: 0x5000, len: 512, flags: NEXT | WRITE },
      { addr: 0x6000, len: 1, flags: WRITE },
    ]);
    expect(t.queue.freeDescriptors).toBe(1);
  });

  it("waits for room in FIFO order and completes with used.len", () => {
    const t = setup();
    const seen: string[] = [];
    const two = [{ addr: 0x4000, len: 1, writable: false }, { addr: 0x4001, len: 1, writable: true }];
    t.queue.submit(two, (len) => seen.push(`a${len}`));
    t.queue.submit(two, (len) => seen.push(`b${len}`));
    t.queue.submit([{ addr: 0x4000, len: 1, writable: true }], (len) => seen.push(`c${len}`)); // would fit, but must not overtake
    expect(t.availIdx()).toBe(2);
    expect(t.queue.waitingRequests).toBe(1);
    t.complete(t.availRing(1), 7);
    expect(t.queue.reap()).toBe(1);
    expect(seen).toEqual(["b7"]);
    expect(t.availIdx()).toBe(3); // c entered the ring
    t.complete(t.availRing(0), 1);
    t.complete(t.availRing(2), 0);
    expect(t.queue.reap()).toBe(2);
    expect(seen).toEqual(["b7", "a1", "c0"]);
    expect(t.queue.freeDescriptors).toBe(SIZE);
    expect(t.queue.inFlight).toBe(0);
  });

  it("puts a multi-segment request into one indirect descriptor", () => {
    const t = setup({ indirect: true });
    t.queue.submit([{ addr: 0x4000, len: 16, writable: false }, { addr: 0x5000, len: 8, writable: true }], () => {});
    expect(t.queue.freeDescriptors).toBe(SIZE - 1);
    const head = t.desc(A.desc, t.availRing(0));
    expect(head.flags).toBe(INDIRECT);
    expect(head.len).toBe(32);
    expect(t.desc(head.addr, 0)).toEqual({ addr: 0x4000, len: 16, flags: NEXT, next: 1 });
    expect(t.desc(head.addr, 1)).toEqual({ addr: 0x5000, len: 8, flags: WRITE, next: 0 });
  });

  it("kicks unless the device set NO_NOTIFY, and only for new requests", () => {
    const t = setup();
    expect(t.queue.kickNeeded()).toBe(false);
    t.queue.submit([{ addr: 0x4000, len: 1, writable: true }], () => {});
    expect(t.queue.kickNeeded()).toBe(true);
    expect(t.queue.kickNeeded()).toBe(false);
    t.view.setUint16(A.used, 1, true); // NO_NOTIFY
    t.queue.submit([{ addr: 0x4000, len: 1, writable: true }], () => {});
    expect(t.queue.kickNeeded()).toBe(false);
  });

  it("with EVENT_IDX kicks only when avail_event is passed", () => {
    const t = setup({ eventIdx: true });
    const availEvent = A.used + 4 + 8 * SIZE;
    t.view.setUint16(availEvent, 1, true); // the device wants a kick once entry 1 is published
    t.queue.submit([{ addr: 0x4000, len: 1, writable: true }], () => {});
    expect(t.queue.kickNeeded()).toBe(false);
    t.queue.submit([{ addr: 0x4000, len: 1, writable: true }], () => {});
    expect(t.queue.kickNeeded()).toBe(true);
  });

  it("sets NO_INTERRUPT or moves used_event to suppress interrupts", () => {
    const plain = setup();
    plain.queue.setInterrupts(false);
    expect(plain.view.getUint16(A.avail, true)).toBe(1);
    plain.queue.setInterrupts(true);
    expect(plain.view.getUint16(A.avail, true)).toBe(0);
    const event = setup({ eventIdx: true });
    event.queue.interruptAfter(3);
    expect(event.view.getUint16(A.avail + 4 + 2 * SIZE, true)).toBe(2);
    expect(() => plain.queue.interruptAfter(1)).toThrowError(/EVENT_IDX/);
  });

  it("refuses bad requests and a device that returns a descriptor not in flight", () => {
    const t = setup();
    expect(() => t.queue.submit([], () => {})).toThrowError(/at least one segment/);
    expect(() => t.queue.submit([{ addr: 0x4000, len: 1, writable: true }, { addr: 0x4000, len: 1, writable: false }], () => {}))
      .toThrowError(/readable segments must come before/);
    expect(() => t.queue.submit([{ addr: 0x1ffff, len: 2, writable: true }], () => {})).toThrowError(/outside guest memory/);
    const five = Array.from({ length: 5 }, () => ({ addr: 0x4000, len: 1, writable: true }));
    expect(() => t.queue.submit(five, () => {})).toThrowError(/can never fit/);
    t.complete(2, 0);
    expect(() => t.queue.reap()).toThrowError(/descriptor 2 .* not in flight/);
  });
});
