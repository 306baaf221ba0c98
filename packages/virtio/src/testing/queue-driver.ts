// Test support (not exported): a started device with our generic driver queues on chosen queues.
import type { VirtioDeviceModel } from "../device-model.js";
import { DriverQueue } from "../driver-queue.js";
import { VirtioMmioDriver } from "../mmio-driver.js";
import { layoutQueue, queueFootprint } from "../ring-layout.js";
import { makeMachine, SCRATCH, type Machine } from "./machine.js";

export interface DrivenDevice extends Machine {
  readonly driver: VirtioMmioDriver;
  readonly queues: DriverQueue[];
  /** Submits a request on `queue`, kicks, and returns the completion length once reaped. */
  request(queue: number, segments: { addr: number; len: number; writable: boolean }[]): () => number | undefined;
}

export function driveDevice(model: VirtioDeviceModel, queueCount: number, size = 8, features = 0n): DrivenDevice {
  const machine = makeMachine(model);
  const driver = new VirtioMmioDriver(machine.transport);
  driver.negotiate(features);
  const queues: DriverQueue[] = [];
  for (let i = 0; i < queueCount; i++) {
    const addresses = layoutQueue(SCRATCH + i * 0x10000, size);
    if (queueFootprint(size) > 0x10000) throw new Error("test queue too large");
    queues.push(new DriverQueue({ memory: machine.memory, size, addresses }));
    driver.setupQueue(i, size, addresses);
  }
  driver.driverOk();
  return Object.assign(machine, {
    driver,
    queues,
    request(queue: number, segments: { addr: number; len: number; writable: boolean }[]) {
      let got: number | undefined;
      queues[queue]!.submit(segments, (len) => (got = len));
      if (queues[queue]!.kickNeeded()) driver.notify(queue);
      queues[queue]!.reap();
      return () => got;
    },
  });
}
