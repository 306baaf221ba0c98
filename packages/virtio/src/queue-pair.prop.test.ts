import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DescriptorChain } from "./descriptor-chain.js";
import { DeviceQueue } from "./device-queue.js";
import { BufferGuestMemory } from "./guest-memory.js";
import { layoutQueue } from "./ring-layout.js";
import { BUFFER_BASE, makeQueuePair } from "./testing/queue-pair.js";

type Step = { kind: "submit"; segments: number; writable: number } | { kind: "pop" } | { kind: "complete"; pick: number } | { kind: "reap" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("submit" as const), segments: fc.integer({ min: 1, max: 6 }), writable: fc.integer({ min: 0, max: 6 }) }),
  fc.constant({ kind: "pop" as const }),
  fc.record({ kind: fc.constant("complete" as const), pick: fc.nat() }),
  fc.constant({ kind: "reap" as const }),
);

describe("driver vs device properties", () => {
  it("random interleavings deliver every buffer to the device once and complete it once", () => {
    fc.assert(fc.property(
      fc.constantFrom(1, 2, 4, 8), fc.boolean(), fc.boolean(), fc.array(step, { maxLength: 200 }),
      (size, eventIdx, indirect, steps) => {
        const pair = makeQueuePair({ size, eventIdx, ...(indirect ? { indirectSegments: 8 } : {}) });
        const submitted = new Map<number, { addr: number; len: number; writable: boolean }[]>();
        const completions = new Map<number, number>();
        const popped = new Set<number>();
        const inDevice: Array<{ chain: DescriptorChain; id: number }> = [];
        let next = 0;
        const pop = (): void => {
          for (let chain = pair.device.pop(); chain !== undefined; chain = pair.device.pop()) {
            // Each request's first segment address encodes its id.
            const first = chain.readable[0] ?? chain.writable[0]!;
            const id = (first.addr - BUFFER_BASE) / 4096;
            expect(popped.has(id)).toBe(false);
            popped.add(id);
            const expected = submitted.get(id)!;
            expect([...chain.readable, ...chain.writable]).toEqual(expected.map(({ addr, len }) => ({ addr, len })));
            expect(chain.readable.length).toBe(expected.filter((s) => !s.writable).length);
            inDevice.push({ chain, id });
          }
        };
        for (const s of steps) {
          if (s.kind === "submit") {
            const count = Math.min(s.segments, size, indirect ? 8 : size);
            const id = next++;
            const segments = Array.from({ length: count }, (_, i) => ({ addr: BUFFER_BASE + 4096 * id + 8 * i, len: 8, writable: i >= count - Math.min(s.writable, count) }));
            submitted.set(id, segments);
            pair.driver.submit(segments, (len) => {
              expect(completions.has(id)).toBe(false);
              completions.set(id, len);
            });
          } else if (s.kind === "pop") {
            pop();
          } else if (s.kind === "complete" && inDevice.length > 0) {
            const { chain, id } = inDevice.splice(s.pick % inDevice.length, 1)[0]!;
            pair.device.push(chain.head, id % 1000);
          } else if (s.kind === "reap") {
            pair.driver.reap();
          }
        }
        // Drain: everything submitted must come back exactly once with the length the device gave.
        for (let guard = 0; completions.size < next; guard++) {
          expect(guard).toBeLessThan(next + 2);
          pop();
          for (const { chain, id } of inDevice.splice(0)) pair.device.push(chain.head, id % 1000);
          pair.driver.reap();
        }
        expect(popped.size).toBe(next);
        for (const [id, len] of completions) expect(len).toBe(id % 1000);
        expect(pair.driver.freeDescriptors).toBe(size);
        expect(pair.errors).toEqual([]);
      },
    ), { numRuns: 150 });
  });

  it("notifications are never lost: a device that runs only when kicked and a driver that reaps only when interrupted finish every request", () => {
    type Event = { kind: "submit" } | { kind: "device" } | { kind: "complete"; pick: number } | { kind: "interrupt" };
    const event: fc.Arbitrary<Event> = fc.oneof(
      fc.constant({ kind: "submit" as const }), fc.constant({ kind: "device" as const }),
      fc.record({ kind: fc.constant("complete" as const), pick: fc.nat() }), fc.constant({ kind: "interrupt" as const }),
    );
    fc.assert(fc.property(fc.constantFrom(1, 2, 4, 8), fc.boolean(), fc.array(event, { maxLength: 150 }), (size, eventIdx, events) => {
      const pair = makeQueuePair({ size, eventIdx });
      let kicked = false;
      let interrupted = false;
      let submitted = 0;
      let completed = 0;
      const inDevice: DescriptorChain[] = [];
      const runDevice = (): void => {
        if (!kicked) return;
        kicked = false;
        for (let chain = pair.device.pop(); chain !== undefined; chain = pair.device.pop()) inDevice.push(chain);
      };
      const complete = (pick: number): void => {
        const chain = inDevice.splice(pick % inDevice.length, 1)[0]!;
        pair.device.push(chain.head, 0);
        if (pair.device.takeInterrupt()) interrupted = true;
      };
      const handleInterrupt = (): void => {
        if (!interrupted) return;
        interrupted = false;
        pair.driver.reap();
        if (pair.driver.kickNeeded()) kicked = true; // waiting requests entered the ring
      };
      for (const e of events) {
        if (e.kind === "submit") {
          submitted++;
          pair.driver.submit([{ addr: BUFFER_BASE, len: 1, writable: true }], () => completed++);
          if (pair.driver.kickNeeded()) kicked = true;
        } else if (e.kind === "device") runDevice();
        else if (e.kind === "complete" && inDevice.length > 0) complete(e.pick);
        else if (e.kind === "interrupt") handleInterrupt();
      }
      // Only notifications may move things on now; if one was lost, this stalls.
      for (let round = 0; completed < submitted; round++) {
        expect(round).toBeLessThan(submitted + 2);
        runDevice();
        while (inDevice.length > 0) complete(0);
        handleInterrupt();
      }
      expect(pair.errors).toEqual([]);
    }), { numRuns: 300 });
  });

  it("random hostile descriptor tables never throw or hang and end in error completions", () => {
    const SIZE = 8;
    const MEMORY = 0x4000;
    const layout = layoutQueue(0x100, SIZE);
    const descriptor = fc.record({
      addr: fc.oneof(fc.integer({ min: 0, max: MEMORY + 64 }), fc.constantFrom(0x800, 0x900, 2 ** 40, 2 ** 53 + 2 ** 60)),
      len: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(16, 32, 48, 0xffffffff)),
      flags: fc.integer({ min: 0, max: 7 }),
      next: fc.oneof(fc.integer({ min: 0, max: SIZE + 1 }), fc.integer({ min: 0, max: 0xffff })),
    });
    fc.assert(fc.property(
      fc.array(descriptor, { minLength: SIZE, maxLength: SIZE }),
      fc.array(descriptor, { minLength: 4, maxLength: 4 }), // an indirect table at 0x800
      fc.array(fc.integer({ min: 0, max: SIZE + 2 }), { minLength: 1, maxLength: SIZE }),
      fc.boolean(), fc.boolean(),
      (table, indirectTable, heads, indirect, eventIdx) => {
        const bytes = new Uint8Array(MEMORY);
        const view = new DataView(bytes.buffer);
        const write = (base: number, i: number, d: { addr: number; len: number; flags: number; next: number }) => {
          view.setBigUint64(base + 16 * i, BigInt(d.addr) & 0xffffffffffffffffn, true);
          view.setUint32(base + 16 * i + 8, d.len, true);
          view.setUint16(base + 16 * i + 12, d.flags, true);
          view.setUint16(base + 16 * i + 14, d.next & 0xffff, true);
        };
        table.forEach((d, i) => write(layout.desc, i, d));
        indirectTable.forEach((d, i) => write(0x800, i, d));
        heads.forEach((h, i) => view.setUint16(layout.avail + 4 + 2 * i, h, true));
        view.setUint16(layout.avail + 2, heads.length, true);
        const errors: string[] = [];
        const queue = new DeviceQueue({ memory: new BufferGuestMemory(bytes), size: SIZE, addresses: layout, indirect, eventIdx, onError: (e) => errors.push(e.code) });
        let valid = 0;
        for (let chain = queue.pop(); chain !== undefined; chain = queue.pop()) {
          valid++;
          for (const s of [...chain.readable, ...chain.writable]) expect(s.addr + s.len).toBeLessThanOrEqual(MEMORY);
          queue.push(chain.head, 1);
        }
        // Every available entry is accounted for: a valid chain, or an error report.
        expect(valid + errors.length).toBe(heads.length);
        // Every in-table head came back in the used ring; invalid ones with length 0.
        const inTable = heads.filter((h) => h < SIZE).length;
        expect(view.getUint16(layout.used + 2, true)).toBe(inTable);
        let zeroLength = 0;
        for (let i = 0; i < inTable; i++) if (view.getUint32(layout.used + 8 + 8 * i, true) === 0) zeroLength++;
        expect(zeroLength).toBe(errors.length - (heads.length - inTable));
      },
    ), { numRuns: 500 });
  });
});
