import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryBlockBackend } from "./devices/memory-block-backend.js";
import { VirtioBlkDevice } from "./devices/blk-device.js";
import { VirtioConsoleDevice } from "./devices/console-device.js";
import { MmioRegister as R } from "./mmio-registers.js";
import { VirtioMmioDriver } from "./mmio-driver.js";
import { layoutQueue } from "./ring-layout.js";
import { makeMachine } from "./testing/machine.js";
import { DeviceStatus as S } from "./virtio-constants.js";

const MEMORY = 0x10000;
const registers = Object.values(R);
const write = fc.record({
  offset: fc.oneof(fc.constantFrom(...registers), fc.integer({ min: 0, max: 0x140 })),
  size: fc.oneof(fc.constant(4), fc.constantFrom(1, 2, 8)),
  value: fc.oneof(
    fc.constantFrom(0, 1, 2, 4, 8, 16, 0xffffffff),
    fc.constantFrom(S.ACKNOWLEDGE, S.ACKNOWLEDGE | S.DRIVER, S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK, 15),
    fc.integer({ min: 0, max: MEMORY }), fc.nat(),
  ),
});

describe("virtio-mmio device properties", () => {
  it("random register writes over random guest memory never throw, never hang, and keep the register file sane", () => {
    const seen = new Set<string>();
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 256, maxLength: 256 }), fc.array(write, { maxLength: 120 }), fc.boolean(), fc.boolean(),
      (noise, writes, blk, handshake) => {
        const model = blk
          ? new VirtioBlkDevice({ backend: new MemoryBlockBackend(16 * 512), queueSize: 8 })
          : new VirtioConsoleDevice({ output: () => {}, queueSize: 8 });
        const machine = makeMachine(model, { memoryBytes: MEMORY });
        // Fill guest memory with repeated noise, so that rings hold arbitrary bytes.
        const bytes = machine.memory.bytes(0, MEMORY);
        for (let at = 0; at < MEMORY; at += noise.length) bytes.set(noise.subarray(0, MEMORY - at), at);
        const regs = machine.transport;
        if (handshake) {
          // A proper start, so that notifications reach the device and it walks the noise as rings.
          const driver = new VirtioMmioDriver(regs);
          driver.negotiate(0xffffffffn << 28n);
          for (let q = 0; q < model.queueSizes.length; q++) driver.setupQueue(q, 8, layoutQueue(0x1000 * (q + 1), 8));
          driver.driverOk();
        }
        for (const { offset, size, value } of writes) {
          regs.write(offset, size, value);
          if (model instanceof VirtioConsoleDevice) model.input(Uint8Array.of(value & 0xff));
          regs.write(R.QUEUE_NOTIFY, 4, value & 1);
          expect(regs.read(R.MAGIC_VALUE, 4)).toBe(0x74726976);
          expect(regs.read(R.STATUS, 4) & ~0xff).toBe(0);
          expect(regs.read(R.INTERRUPT_STATUS, 4) & ~3).toBe(0);
        }
        for (const e of machine.errors) {
          expect(e.message.length).toBeGreaterThan(10);
          seen.add(e.code);
        }
      },
    ), { numRuns: 300 });
    // The fuzz reached the chain walker, not just the register file.
    expect(seen.has("protocol")).toBe(true);
    expect([...seen].some((code) => ["descriptor-loop", "bad-index", "out-of-range", "readable-after-writable", "bad-indirect", "bad-avail-index"].includes(code))).toBe(true);
  });
});
