import { describe, expect, it } from "vitest";
import type { DeviceContext, VirtioDeviceModel } from "./device-model.js";
import { DriverQueue } from "./driver-queue.js";
import { InterruptBit, MMIO_MAGIC, MmioRegister as R } from "./mmio-registers.js";
import { VirtioMmioDriver } from "./mmio-driver.js";
import { layoutQueue } from "./ring-layout.js";
import { makeMachine, SCRATCH } from "./testing/machine.js";
import { DeviceStatus as S, FeatureBit, featureMask } from "./virtio-constants.js";

/** A device model that echoes: it writes the readable bytes back reversed. */
class EchoModel implements VirtioDeviceModel {
  readonly deviceId = 42;
  readonly features = featureMask(3) | featureMask(40); // a low and a high device bit
  readonly queueSizes = [16, 4];
  config = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  context: DeviceContext | undefined;
  starts = 0;
  resets = 0;
  notifies: number[] = [];
  rejectFeature3 = false;
  readConfig() { return this.config; }
  writeConfig(offset: number, size: number, value: number) {
    for (let i = 0; i < size; i++) this.config[offset + i] = (value >>> (8 * i)) & 0xff;
  }
  acceptFeatures(features: bigint) { return !(this.rejectFeature3 && (features & featureMask(3)) !== 0n); }
  start(context: DeviceContext) { this.context = context; this.starts++; }
  reset() { this.context = undefined; this.resets++; }
  notify(index: number) {
    this.notifies.push(index);
    const queue = this.context!.queue(index)!;
    for (let chain = queue.pop(); chain; chain = queue.pop()) queue.push(chain.head, 0);
    this.context!.usedBuffers(index);
  }
}

function setup(model = new EchoModel()) {
  const machine = makeMachine(model);
  const driver = new VirtioMmioDriver(machine.transport);
  return { model, machine, driver, regs: machine.transport };
}

describe("virtio-mmio device registers", () => {
  it("identifies itself", () => {
    const { driver, regs } = setup();
    expect(regs.read(R.MAGIC_VALUE, 4)).toBe(MMIO_MAGIC);
    expect(driver.probe()).toEqual({ deviceId: 42, vendorId: regs.read(R.VENDOR_ID, 4) });
    expect(regs.read(R.SHM_LEN_LOW, 4)).toBe(0xffffffff); // no shared memory regions
  });

  it("offers the model's features plus VERSION_1, INDIRECT_DESC and EVENT_IDX", () => {
    const { driver, regs } = setup();
    const offered = driver.deviceFeatures();
    expect(offered).toBe(featureMask(3) | featureMask(40) | featureMask(FeatureBit.VERSION_1)
      | featureMask(FeatureBit.INDIRECT_DESC) | featureMask(FeatureBit.EVENT_IDX));
    regs.write(R.DEVICE_FEATURES_SEL, 4, 2);
    expect(regs.read(R.DEVICE_FEATURES, 4)).toBe(0);
  });

  it("runs the handshake and negotiates the intersection", () => {
    const { driver, model, regs } = setup();
    const negotiated = driver.negotiate(featureMask(3) | featureMask(5));
    expect(negotiated).toBe(featureMask(3) | featureMask(FeatureBit.VERSION_1));
    expect(regs.negotiatedFeatures).toBe(negotiated);
    expect(driver.status).toBe(S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK);
    driver.driverOk();
    expect(model.starts).toBe(1);
    expect(model.context!.features).toBe(negotiated);
  });

  it("clears FEATURES_OK when the model rejects the subset, and the driver gives up", () => {
    const model = new EchoModel();
    model.rejectFeature3 = true;
    const { driver } = setup(model);
    expect(() => driver.negotiate(featureMask(3))).toThrowError(/rejected features/);
    expect(driver.status & S.FAILED).toBe(S.FAILED);
    expect(driver.status & S.FEATURES_OK).toBe(0);
  });

  it("refuses FEATURES_OK without VERSION_1 or with unoffered bits", () => {
    for (const features of [[0, 0], [1 << 3, 1 | (1 << 20)]]) {
      const { regs } = setup();
      regs.write(R.STATUS, 4, S.ACKNOWLEDGE | S.DRIVER);
      regs.write(R.DRIVER_FEATURES_SEL, 4, 0);
      regs.write(R.DRIVER_FEATURES, 4, features[0]!);
      regs.write(R.DRIVER_FEATURES_SEL, 4, 1);
      regs.write(R.DRIVER_FEATURES, 4, features[1]!);
      regs.write(R.STATUS, 4, S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK);
      expect(regs.read(R.STATUS, 4)).toBe(S.ACKNOWLEDGE | S.DRIVER);
    }
  });

  it("sets DEVICE_NEEDS_RESET when the handshake runs out of order, and keeps answering", () => {
    const cases: Array<{ steps: number[]; message: RegExp }> = [
      { steps: [S.DRIVER], message: /DRIVER set before ACKNOWLEDGE/ },
      { steps: [S.ACKNOWLEDGE, S.ACKNOWLEDGE | S.FEATURES_OK], message: /FEATURES_OK set before DRIVER/ },
      { steps: [S.ACKNOWLEDGE, S.ACKNOWLEDGE | S.DRIVER, S.ACKNOWLEDGE | S.DRIVER | S.DRIVER_OK], message: /DRIVER_OK set before FEATURES_OK/ },
      { steps: [S.ACKNOWLEDGE, S.ACKNOWLEDGE | S.DRIVER, S.ACKNOWLEDGE], message: /cleared status bits/ },
    ];
    for (const { steps, message } of cases) {
      const { regs, machine, model } = setup();
      for (const step of steps) regs.write(R.STATUS, 4, step);
      expect(regs.read(R.STATUS, 4) & S.DEVICE_NEEDS_RESET).toBe(S.DEVICE_NEEDS_RESET);
      expect(machine.errors.at(-1)!.message).toMatch(message);
      expect(model.starts).toBe(0);
      regs.write(R.STATUS, 4, 0);
      expect(regs.read(R.STATUS, 4)).toBe(0); // a reset clears it
      expect(regs.read(R.MAGIC_VALUE, 4)).toBe(MMIO_MAGIC);
    }
  });

  it("ignores queue setup outside the rules and reports it", () => {
    const { driver, regs, machine } = setup();
    regs.write(R.QUEUE_SEL, 4, 0);
    regs.write(R.QUEUE_SIZE, 4, 8);
    regs.write(R.QUEUE_READY, 4, 1); // before FEATURES_OK
    expect(regs.read(R.QUEUE_READY, 4)).toBe(0);
    expect(machine.errors.at(-1)!.message).toMatch(/QueueReady set before FEATURES_OK/);
    driver.negotiate(0n);
    regs.write(R.QUEUE_SIZE, 4, 32); // above QueueSizeMax 16
    regs.write(R.QUEUE_READY, 4, 1);
    expect(machine.errors.at(-1)!.message).toMatch(/exceeds QueueSizeMax/);
    regs.write(R.QUEUE_SIZE, 4, 12); // not a power of two
    regs.write(R.QUEUE_READY, 4, 1);
    expect(machine.errors.at(-1)!.message).toMatch(/power of two/);
    regs.write(R.QUEUE_SIZE, 4, 8);
    regs.write(R.QUEUE_DESC_HIGH, 4, 1); // 4 GiB up: outside guest memory
    regs.write(R.QUEUE_READY, 4, 1);
    expect(machine.errors.at(-1)!.message).toMatch(/outside guest memory/);
    expect(regs.read(R.QUEUE_READY, 4)).toBe(0);
    regs.write(R.QUEUE_SEL, 4, 7);
    expect(regs.read(R.QUEUE_SIZE_MAX, 4)).toBe(0); // absent queue
    expect(() => driver.setupQueue(7, 8, layoutQueue(SCRATCH, 8))).toThrowError(/does not exist/);
  });

  it("reports misaligned control accesses and reads 0", () => {
    const { regs, machine } = setup();
    expect(regs.read(R.MAGIC_VALUE, 2)).toBe(0);
    expect(regs.read(R.MAGIC_VALUE + 1, 4)).toBe(0);
    regs.write(R.STATUS, 1, S.ACKNOWLEDGE);
    expect(regs.read(R.STATUS, 4)).toBe(0);
    expect(machine.errors).toHaveLength(3);
  });

  it("serves a queue after DRIVER_OK only, and raises and acknowledges interrupts", () => {
    const { driver, model, machine, regs } = setup();
    driver.negotiate(0n);
    const addresses = layoutQueue(SCRATCH, 16);
    const queue = new DriverQueue({ memory: machine.memory, size: 16, addresses });
    expect(driver.setupQueue(0, 64, addresses)).toBe(16);
    let done = 0;
    queue.submit([{ addr: 0x300000, len: 4, writable: true }], () => done++);
    driver.notify(0); // before DRIVER_OK: ignored
    expect(model.notifies).toEqual([]);
    driver.driverOk();
    driver.notify(0);
    expect(model.notifies).toEqual([0]);
    expect(machine.interrupts).toBe(1);
    expect(regs.interruptStatus).toBe(InterruptBit.USED_BUFFER);
    expect(driver.acknowledgeInterrupt()).toBe(InterruptBit.USED_BUFFER);
    expect(regs.interruptStatus).toBe(0);
    queue.reap();
    expect(done).toBe(1);
    driver.notify(1); // queue 1 was never made ready
    expect(model.notifies).toEqual([0]);
    regs.write(R.STATUS, 4, regs.status | S.FAILED); // the driver gives up: the device goes quiet
    driver.notify(0);
    expect(model.notifies).toEqual([0]);
  });

  it("a malformed chain sets DEVICE_NEEDS_RESET with a config interrupt, and the queue keeps serving", () => {
    const { driver, model, machine } = setup();
    driver.negotiate(0n);
    const addresses = layoutQueue(SCRATCH, 16);
    const queue = new DriverQueue({ memory: machine.memory, size: 16, addresses });
    driver.setupQueue(0, 16, addresses);
    driver.driverOk();
    const lengths: number[] = [];
    queue.submit([{ addr: 0x300000, len: 4, writable: true }], (len) => lengths.push(len));
    machine.memory.write32(addresses.desc + 8, 0x7fffffff); // corrupt: length past the end of memory
    queue.submit([{ addr: 0x300000, len: 4, writable: true }], (len) => lengths.push(len + 100));
    driver.notify(0);
    expect(machine.errors.map((e) => e.code)).toEqual(["out-of-range"]);
    expect(driver.needsReset).toBe(true);
    expect(driver.acknowledgeInterrupt()).toBe(InterruptBit.USED_BUFFER | InterruptBit.CONFIG_CHANGE);
    queue.reap();
    expect(lengths).toEqual([0, 100]);
    expect(model.notifies).toEqual([0]);
  });

  it("turns a model that throws into DEVICE_NEEDS_RESET instead of an exception", () => {
    const model = new EchoModel();
    model.notify = () => { throw new Error("boom"); };
    const { driver, machine } = setup(model);
    driver.negotiate(0n);
    const addresses = layoutQueue(SCRATCH, 4);
    driver.setupQueue(0, 4, addresses);
    driver.driverOk();
    expect(() => driver.notify(0)).not.toThrow();
    expect(machine.errors[0]!.code).toBe("internal");
    expect(machine.errors[0]!.message).toMatch(/notify threw: boom/);
  });

  it("survives a model that throws from any hook", () => {
    const model = new EchoModel();
    const boom = () => { throw new Error("hook failed"); };
    model.start = boom;
    model.readConfig = boom;
    model.reset = boom;
    model.acceptFeatures = boom;
    const { regs, machine } = setup(model);
    expect(regs.read(R.CONFIG, 4)).toBe(0);
    regs.write(R.STATUS, 4, S.ACKNOWLEDGE | S.DRIVER);
    regs.write(R.DRIVER_FEATURES_SEL, 4, 1);
    regs.write(R.DRIVER_FEATURES, 4, 1);
    regs.write(R.STATUS, 4, S.ACKNOWLEDGE | S.DRIVER | S.FEATURES_OK);
    expect(regs.status & S.FEATURES_OK).toBe(0); // a throwing acceptFeatures rejects
    regs.write(R.STATUS, 4, 0);
    expect(machine.errors.map((e) => e.message)).toEqual([
      "device model readConfig threw: hook failed",
      "device model acceptFeatures threw: hook failed",
      "device model reset threw: hook failed",
    ]);
  });

  it("reads and writes the configuration space at 8, 16 and 32 bits and bumps the generation", () => {
    const { driver, model, regs } = setup();
    expect(driver.readConfig(0, 1)).toBe(1);
    expect(driver.readConfig(2, 2)).toBe(0x0403);
    expect(driver.readConfig(4, 4)).toBe(0x08070605);
    expect(driver.readConfig(0, 8)).toBe(0x0807060504030201);
    expect(regs.read(R.CONFIG + 6, 4)).toBe(0); // past the end
    driver.writeConfig(1, 2, 0xbeef);
    expect([...model.config.subarray(0, 4)]).toEqual([1, 0xef, 0xbe, 4]);
    driver.negotiate(0n);
    driver.driverOk();
    const before = regs.read(R.CONFIG_GENERATION, 4);
    model.context!.configChanged();
    expect(regs.read(R.CONFIG_GENERATION, 4)).toBe(before + 1);
    expect(regs.interruptStatus).toBe(InterruptBit.CONFIG_CHANGE);
  });

  it("the driver retries a config read that straddles a generation change, and gives up on a broken device", () => {
    const { driver, regs } = setup();
    const generations = [7, 8, 8, 8];
    let reads = 0;
    const flaky = {
      read: (offset: number, size: number) => (offset === R.CONFIG_GENERATION ? generations[reads++]! : regs.read(offset, size)),
      write: (offset: number, size: number, value: number) => regs.write(offset, size, value),
    };
    expect(new VirtioMmioDriver(flaky).readConfig(0, 8)).toBe(0x0807060504030201);
    expect(reads).toBe(4); // 7→8 changed, then 8→8 stable
    const broken = { read: (offset: number, size: number) => (offset === R.CONFIG_GENERATION ? reads++ : regs.read(offset, size)), write: () => {} };
    expect(() => new VirtioMmioDriver(broken).readConfig(0, 4)).toThrowError(/never settled/);
    expect(driver.readConfig(0, 1)).toBe(1);
  });

  it("a reset forgets features and queues and tells the model", () => {
    const { driver, model, regs } = setup();
    driver.negotiate(featureMask(3));
    driver.setupQueue(0, 8, layoutQueue(SCRATCH, 8));
    driver.driverOk();
    driver.reset();
    expect(model.resets).toBe(2); // negotiate() resets first, then this one
    expect(regs.negotiatedFeatures).toBe(0n);
    regs.write(R.QUEUE_SEL, 4, 0);
    expect(regs.read(R.QUEUE_READY, 4)).toBe(0);
    expect(regs.status).toBe(0);
  });

  it("defers queue work to the given scheduler", () => {
    const model = new EchoModel();
    const work: Array<() => void> = [];
    const machine = makeMachine(model, { schedule: (job) => work.push(job) });
    const driver = new VirtioMmioDriver(machine.transport);
    driver.negotiate(0n);
    driver.setupQueue(0, 4, layoutQueue(SCRATCH, 4));
    driver.driverOk();
    driver.notify(0);
    driver.notify(0); // batched into the pending job
    expect(model.notifies).toEqual([]);
    expect(work).toHaveLength(1);
    work.forEach((job) => job());
    expect(model.notifies).toEqual([0]);
    driver.notify(0);
    expect(work).toHaveLength(2);
  });
});
