import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scatterInto, totalLength } from "../descriptor-chain.js";
import { DriverQueue } from "../driver-queue.js";
import { VirtioMmioDriver } from "../mmio-driver.js";
import { layoutQueue } from "../ring-layout.js";
import { DATA, makeMachine, SCRATCH } from "../testing/machine.js";
import { BlkRequestType, BlkStatus, SECTOR_SIZE } from "./blk-constants.js";
import { VirtioBlkDevice } from "./blk-device.js";
import { MemoryBlockBackend } from "./memory-block-backend.js";

const SECTORS = 32;
const length = fc.constantFrom(0, 1, 8, 15, 16, 17, 100, 512, 513, 1024, 1536);

/** Byte equality without vitest's element-by-element deep equality (slow on large arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** What the spec says the device must answer, computed from the request alone. */
function expectedStatus(type: number, sector: number, readable: number, writable: number): number | "no-status" {
  if (writable === 0) return "no-status";
  if (readable < 16) return BlkStatus.IOERR;
  const inRange = (bytes: number) => bytes % SECTOR_SIZE === 0 && sector + bytes / SECTOR_SIZE <= SECTORS;
  switch (type) {
    case BlkRequestType.IN: return inRange(writable - 1) ? BlkStatus.OK : BlkStatus.IOERR;
    case BlkRequestType.OUT: return inRange(readable - 16) ? BlkStatus.OK : BlkStatus.IOERR;
    case BlkRequestType.FLUSH: case BlkRequestType.GET_ID: return BlkStatus.OK;
    default: return BlkStatus.UNSUPP;
  }
}

describe("virtio-blk properties", () => {
  it("answers any request shape with the status the spec prescribes, and moves the right bytes", () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        type: fc.oneof(fc.constantFrom(0, 1, 4, 8), fc.integer({ min: 0, max: 0xffffffff })),
        sector: fc.oneof(fc.integer({ min: 0, max: SECTORS + 2 }), fc.constantFrom(2 ** 32, 2 ** 53)),
        readable: fc.array(length, { maxLength: 3 }),
        writable: fc.array(length, { maxLength: 3 }),
      }), { minLength: 1, maxLength: 8 }),
      (requests) => {
        const backend = new MemoryBlockBackend(SECTORS * SECTOR_SIZE);
        backend.data.set(Uint8Array.from({ length: backend.data.length }, (_, i) => (i * 7) & 0xff));
        const model = backend.data.slice();
        const machine = makeMachine(new VirtioBlkDevice({ backend }), { memoryBytes: DATA + 8 * 0x10000 });
        const driver = new VirtioMmioDriver(machine.transport);
        driver.negotiate(0n);
        const addresses = layoutQueue(SCRATCH, 16);
        const queue = new DriverQueue({ memory: machine.memory, size: 16, addresses });
        driver.setupQueue(0, 16, addresses);
        driver.driverOk();
        let noStatus = 0;
        requests.forEach((request, k) => {
          let at = DATA + k * 0x10000;
          const place = (lens: number[], writable: boolean) => lens.map((len) => {
            const segment = { addr: at, len, writable };
            at += len + 64;
            return segment;
          });
          const readable = place(request.readable, false);
          const writable = place(request.writable, true);
          if (readable.length + writable.length === 0) return;
          const header = new Uint8Array(16);
          const view = new DataView(header.buffer);
          view.setUint32(0, request.type, true);
          view.setBigUint64(8, BigInt(request.sector), true);
          scatterInto(machine.memory, readable, 0, header);
          const payload = Uint8Array.from({ length: Math.max(0, totalLength(readable) - 16) }, (_, i) => (i + k) & 0xff);
          scatterInto(machine.memory, readable, 16, payload);
          const writableLength = totalLength(writable);
          const expected = expectedStatus(request.type, request.sector, totalLength(readable), writableLength);
          let usedLength = -1;
          queue.submit([...readable, ...writable], (len) => (usedLength = len));
          driver.notify(0);
          queue.reap();
          if (expected === "no-status") {
            noStatus++;
            expect(usedLength).toBe(0);
            return;
          }
          const statusAt = writable.filter((s) => s.len > 0).at(-1)!;
          expect(machine.memory.read8(statusAt.addr + statusAt.len - 1)).toBe(expected);
          if (expected === BlkStatus.OK && request.type === BlkRequestType.OUT) model.set(payload, request.sector * SECTOR_SIZE);
          if (expected === BlkStatus.OK && request.type === BlkRequestType.IN) {
            expect(usedLength).toBe(writableLength);
            const got = new Uint8Array(writableLength - 1);
            let off = 0;
            for (const s of writable) {
              const take = Math.min(s.len, got.length - off);
              got.set(machine.memory.bytes(s.addr, take), off);
              off += take;
            }
            expect(sameBytes(got, model.subarray(request.sector * SECTOR_SIZE, request.sector * SECTOR_SIZE + got.length))).toBe(true);
          }
        });
        expect(sameBytes(backend.data, model)).toBe(true);
        expect(machine.errors.filter((e) => e.code === "bad-request")).toHaveLength(noStatus);
        expect(machine.errors.every((e) => e.code === "bad-request")).toBe(true);
      },
    ), { numRuns: 200 });
  });
});
