import { describe, expect, it } from "vitest";
import { VirtioMmioDriver } from "../mmio-driver.js";
import { layoutQueue } from "../ring-layout.js";
import { makeBlkMachine } from "../testing/blk-machine.js";
import { rawRequester } from "../testing/raw-blk.js";
import { DATA, makeMachine, SCRATCH } from "../testing/machine.js";
import { DeviceStatus, featureMask } from "../virtio-constants.js";
import type { BlockBackend, BlockRequest } from "./block-backend.js";
import { BlkConfig, BlkFeatureBit, BlkRequestType, BlkStatus } from "./blk-constants.js";
import { VirtioBlkDevice } from "./blk-device.js";
import { VirtioBlkDriver } from "./blk-driver.js";
import { VirtioRngDevice } from "./rng-device.js";
import { MemoryBlockBackend } from "./memory-block-backend.js";

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7 + (i >> 9)) & 0xff);
}

describe("virtio-blk over a memory backend", () => {
  it("reports capacity, seg_max and blk_size, and negotiates the write-back cache as Nanos does", () => {
    const backend = new MemoryBlockBackend(64 * 512);
    const m = makeBlkMachine(backend, { queueSize: 32 });
    expect(m.driver.capacity).toBe(64);
    expect(m.driver.segMax).toBe(30);
    expect(m.driver.readOnly).toBe(false);
    expect(m.device.writebackCache).toBe(true);
    const expected = [BlkFeatureBit.SEG_MAX, BlkFeatureBit.BLK_SIZE, BlkFeatureBit.FLUSH, BlkFeatureBit.CONFIG_WCE];
    for (const bit of expected) expect(m.driver.features & featureMask(bit)).not.toBe(0n);
    expect(m.transport.status).toBe(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK);
  });

  it("writes and reads back sectors through scattered guest buffers", async () => {
    const backend = new MemoryBlockBackend(64 * 512);
    const m = makeBlkMachine(backend);
    const data = pattern(3 * 512, 1);
    m.memory.bytes(DATA, 512).set(data.subarray(0, 512));
    m.memory.bytes(DATA + 0x10000, 1024).set(data.subarray(512));
    expect(await m.write(10, [{ addr: DATA, len: 512 }, { addr: DATA + 0x10000, len: 1024 }])).toBe(BlkStatus.OK);
    expect(backend.data.subarray(10 * 512, 13 * 512)).toEqual(data);
    expect(await m.read(10, [{ addr: DATA + 0x20000, len: 1024 }, { addr: DATA + 0x30000, len: 512 }])).toBe(BlkStatus.OK);
    expect(m.memory.bytes(DATA + 0x20000, 1024)).toEqual(data.subarray(0, 1024));
    expect(m.memory.bytes(DATA + 0x30000, 512)).toEqual(data.subarray(1024));
    expect(m.errors).toEqual([]);
  });

  it("flushes and returns the serial", async () => {
    const backend = new MemoryBlockBackend(8 * 512);
    const m = makeBlkMachine(backend, { id: "nanots-root" });
    expect(await m.flush()).toBe(BlkStatus.OK);
    expect(backend.flushes).toBe(1);
    expect(await m.getId()).toEqual({ status: BlkStatus.OK, id: "nanots-root" });
    const full = makeBlkMachine(new MemoryBlockBackend(512), { id: "x".repeat(20) });
    expect((await full.getId()).id).toBe("x".repeat(20));
    expect(() => new VirtioBlkDevice({ backend, id: "y".repeat(21) })).toThrowError(/longer than 20 bytes/);
  });

  it("answers IOERR for sectors past the end, and the device keeps serving", () => {
    const backend = new MemoryBlockBackend(8 * 512);
    const raw = rawRequester(backend);
    expect(raw(BlkRequestType.IN, 8, 512)).toBe(BlkStatus.IOERR);
    expect(raw(BlkRequestType.IN, 7, 1024)).toBe(BlkStatus.IOERR);
    expect(raw(BlkRequestType.OUT, 2 ** 52, 512)).toBe(BlkStatus.IOERR);
    expect(raw(BlkRequestType.IN, 0, 100)).toBe(BlkStatus.IOERR); // not a whole sector
    expect(raw(BlkRequestType.IN, 7, 512)).toBe(BlkStatus.OK);
    expect(raw(99, 0, 0)).toBe(BlkStatus.UNSUPP);
    expect(raw(BlkRequestType.IN, 0, 512, 8)).toBe(BlkStatus.IOERR); // header too short
  });

  it("refuses writes to a read-only disk", async () => {
    const backend = new MemoryBlockBackend(8 * 512, { readOnly: true });
    const m = makeBlkMachine(backend);
    expect(m.driver.readOnly).toBe(true);
    expect(() => m.driver.write(0, [{ addr: DATA, len: 512 }], () => {})).toThrowError(/read-only/);
    expect(rawRequester(backend)(BlkRequestType.OUT, 0, 512)).toBe(BlkStatus.IOERR);
    expect(await m.read(0, [{ addr: DATA, len: 512 }])).toBe(BlkStatus.OK);
  });

  it("flushes after every write in writethrough mode", async () => {
    const backend = new MemoryBlockBackend(8 * 512);
    const m = makeBlkMachine(backend);
    new VirtioMmioDriver(m.transport).writeConfig(BlkConfig.WRITEBACK, 1, 0);
    expect(m.device.writebackCache).toBe(false);
    await m.write(0, [{ addr: DATA, len: 512 }]);
    await m.write(1, [{ addr: DATA, len: 512 }]);
    expect(backend.flushes).toBe(2);
  });

  it("fills the queue, waits for room, and completes every request", async () => {
    const backend = new MemoryBlockBackend(256 * 512);
    const m = makeBlkMachine(backend, { queueSize: 8 });
    const writes = Array.from({ length: 40 }, (_, i) => {
      m.memory.bytes(DATA + 512 * i, 512).set(pattern(512, i));
      return m.write(i, [{ addr: DATA + 512 * i, len: 512 }]);
    });
    expect((await Promise.all(writes)).every((s) => s === BlkStatus.OK)).toBe(true);
    for (let i = 0; i < 40; i++) expect(backend.data.subarray(512 * i, 512 * (i + 1))).toEqual(pattern(512, i));
  });

  it("splits a request with more than seg_max segments, as Nanos does, and merges the status", async () => {
    const backend = new MemoryBlockBackend(64 * 512);
    const m = makeBlkMachine(backend, { queueSize: 4 }); // seg_max 2
    expect(m.driver.segMax).toBe(2);
    const data = pattern(5 * 512, 4);
    m.memory.bytes(DATA, 5 * 512).set(data);
    const segments = Array.from({ length: 5 }, (_, i) => ({ addr: DATA + 512 * i, len: 512 }));
    expect(await m.write(7, segments)).toBe(BlkStatus.OK);
    expect(backend.data.subarray(7 * 512, 12 * 512)).toEqual(data);
    const back = Array.from({ length: 5 }, (_, i) => ({ addr: DATA + 0x10000 + 1024 * i, len: 512 }));
    expect(await m.read(7, back)).toBe(BlkStatus.OK);
    back.forEach((s, i) => expect(m.memory.bytes(s.addr, 512)).toEqual(data.subarray(512 * i, 512 * (i + 1))));
  });

  it("reports the failure of any part of a split request", async () => {
    const inner = new MemoryBlockBackend(64 * 512);
    const sectorsSeen: number[] = [];
    const backend: BlockBackend = {
      sectors: inner.sectors,
      submit: (request, done) => {
        sectorsSeen.push(request.sector);
        if (request.sector === 9) return done(new Error("bad block"));
        inner.submit(request, done);
      },
    };
    const m = makeBlkMachine(backend, { queueSize: 4 }); // seg_max 2: parts at sectors 7, 9, 11
    const segments = Array.from({ length: 5 }, (_, i) => ({ addr: DATA + 512 * i, len: 512 }));
    expect(await m.read(7, segments)).toBe(BlkStatus.IOERR);
    expect(sectorsSeen).toEqual([7, 9, 11]);
  });

  it("works with deferred device work, batching the notifications of one turn", async () => {
    const backend = new MemoryBlockBackend(64 * 512);
    let jobs = 0;
    const m = makeBlkMachine(backend, { schedule: (work) => { jobs++; queueMicrotask(work); } });
    const writes = Array.from({ length: 20 }, (_, i) => {
      m.memory.bytes(DATA + 512 * i, 512).fill(i + 1);
      return m.write(i, [{ addr: DATA + 512 * i, len: 512 }]);
    });
    expect(m.driver.outstanding).toBe(20); // nothing ran inside the notify writes
    expect(jobs).toBe(1); // twenty kicks, one device job
    expect(await Promise.all(writes)).toEqual(Array(20).fill(BlkStatus.OK));
    for (let i = 0; i < 20; i++) expect(backend.data[512 * i]).toBe(i + 1);
  });

  it("uses indirect descriptors and event idx when asked", async () => {
    const backend = new MemoryBlockBackend(64 * 512);
    const m = makeBlkMachine(backend, { indirect: true, eventIdx: true, queueSize: 16 });
    m.memory.bytes(DATA, 8 * 512).set(pattern(8 * 512, 3));
    const segments = Array.from({ length: 8 }, (_, i) => ({ addr: DATA + 512 * i, len: 512 }));
    const all = Array.from({ length: 20 }, (_, i) => m.write(i * 2, segments.slice(0, 2)));
    all.push(m.write(40, segments));
    expect((await Promise.all(all)).every((s) => s === BlkStatus.OK)).toBe(true);
    expect(backend.data.subarray(40 * 512, 48 * 512)).toEqual(pattern(8 * 512, 3));
    expect(m.errors).toEqual([]);
  });

  it("with EVENT_IDX interrupts once per handler run instead of once per request", async () => {
    const run = async (eventIdx: boolean): Promise<number> => {
      const m = makeBlkMachine(new MemoryBlockBackend(64 * 512), { eventIdx });
      const writes = Array.from({ length: 16 }, (_, i) => m.write(i, [{ addr: DATA, len: 512 }]));
      await Promise.all(writes);
      return m.interrupts;
    };
    // Synchronous device work: every request completes at once, while the handler is deferred.
    expect(await run(false)).toBe(16);
    expect(await run(true)).toBe(1); // used_event stays behind until the handler reaps
  });
});

describe("VirtioBlkDriver probing", () => {
  it("refuses a blk_size other than 512 instead of misplacing every sector (Nanos multiplies capacity by it and still addresses 512-byte sectors)", () => {
    class BigSectors extends VirtioBlkDevice {
      override readConfig(): Uint8Array {
        const config = super.readConfig();
        new DataView(config.buffer).setUint32(BlkConfig.BLK_SIZE, 4096, true);
        return config;
      }
    }
    const m = makeMachine(new BigSectors({ backend: new MemoryBlockBackend(64 * 512) }));
    expect(() => new VirtioBlkDriver({ regs: m.transport, memory: m.memory, scratch: SCRATCH })).toThrowError(/blk_size 4096 is not supported; only 512/);
  });

  it("refuses a device that is not a block device, and a missing window", () => {
    const rng = makeMachine(new VirtioRngDevice());
    expect(() => new VirtioBlkDriver({ regs: rng.transport, memory: rng.memory, scratch: SCRATCH })).toThrowError(/device ID 4 is not a block device/);
    const empty = { read: () => 0, write: () => {} };
    expect(() => new VirtioBlkDriver({ regs: empty, memory: rng.memory, scratch: SCRATCH })).toThrowError(/bad magic 0x0/);
  });
});

describe("virtio-blk with an asynchronous backend", () => {
  class DelayedBackend implements BlockBackend {
    readonly sectors = 64;
    readonly inner = new MemoryBlockBackend(64 * 512);
    readonly held: Array<() => void> = [];
    submit(request: BlockRequest, done: (error?: Error) => void): void {
      this.held.push(() => this.inner.submit(request, done));
    }
  }

  it("completes requests out of order, each to its own caller", async () => {
    const backend = new DelayedBackend();
    const m = makeBlkMachine(backend);
    backend.inner.data.set(pattern(4 * 512, 9));
    const order: number[] = [];
    const reads = [0, 1, 2, 3].map((i) => m.read(i, [{ addr: DATA + 0x1000 * i, len: 512 }]).then(() => order.push(i)));
    expect(backend.held).toHaveLength(4);
    for (const i of [2, 0, 3, 1]) backend.held[i]!();
    await Promise.all(reads);
    expect(order).toEqual([2, 0, 3, 1]);
    for (let i = 0; i < 4; i++) expect(m.memory.bytes(DATA + 0x1000 * i, 512)).toEqual(pattern(4 * 512, 9).subarray(512 * i, 512 * (i + 1)));
  });

  it("turns backend errors and throws into IOERR", async () => {
    const failures: string[] = [];
    const backend: BlockBackend = {
      sectors: 8,
      submit: (request, done) => {
        if (request.op === "flush") throw new Error("flush exploded");
        done(new Error("disk on fire"));
        done(); // a second completion must be ignored
      },
    };
    const m = makeBlkMachine(backend, { onBackendError: (error) => failures.push(error.message) });
    expect(await m.read(0, [{ addr: DATA, len: 512 }])).toBe(BlkStatus.IOERR);
    expect(await m.flush()).toBe(BlkStatus.IOERR);
    expect(failures).toEqual(["disk on fire", "flush exploded"]);
    expect(m.driver.outstanding).toBe(0);
  });

  it("drops completions that arrive after a device reset", () => {
    const backend = new DelayedBackend();
    const m = makeBlkMachine(backend);
    m.driver.read(0, [{ addr: DATA, len: 512 }], () => {});
    const usedIdxBefore = m.memory.read16(/* used ring of the driver's queue */ layoutQueue(SCRATCH, 128).used + 2);
    new VirtioMmioDriver(m.transport).reset();
    backend.held[0]!();
    expect(m.memory.read16(layoutQueue(SCRATCH, 128).used + 2)).toBe(usedIdxBefore);
  });
});
