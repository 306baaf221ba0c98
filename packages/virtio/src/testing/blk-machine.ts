// Test support (not exported): a virtio-blk device and our driver over one guest memory.
import type { Segment } from "../descriptor-chain.js";
import type { BlockBackend } from "../devices/block-backend.js";
import type { BufferGuestMemory } from "../guest-memory.js";
import { VirtioBlkDevice, type VirtioBlkOptions } from "../devices/blk-device.js";
import { VirtioBlkDriver } from "../devices/blk-driver.js";
import { makeMachine, SCRATCH, type Machine } from "./machine.js";

export interface BlkMachine extends Machine {
  readonly device: VirtioBlkDevice;
  readonly driver: VirtioBlkDriver;
  read(sector: number, data: readonly Segment[]): Promise<number>;
  write(sector: number, data: readonly Segment[]): Promise<number>;
  flush(): Promise<number>;
  getId(): Promise<{ status: number; id: string }>;
}

export function makeBlkMachine(
  backend: BlockBackend,
  options: Omit<VirtioBlkOptions, "backend"> & { indirect?: boolean; eventIdx?: boolean; driverQueueSize?: number; memory?: BufferGuestMemory; schedule?: (work: () => void) => void } = {},
): BlkMachine {
  const device = new VirtioBlkDevice({ ...options, backend });
  let driver: VirtioBlkDriver | undefined;
  // Interrupts are deferred, as a machine would: the handler runs after the device returns.
  const machine = makeMachine(device, {
    onInterrupt: () => queueMicrotask(() => driver?.handleInterrupt()),
    ...(options.memory === undefined ? {} : { memory: options.memory }),
    ...(options.schedule === undefined ? {} : { schedule: options.schedule }),
  });
  driver = new VirtioBlkDriver({
    regs: machine.transport, memory: machine.memory, scratch: SCRATCH,
    indirect: options.indirect === true, eventIdx: options.eventIdx === true,
    ...(options.driverQueueSize === undefined ? {} : { queueSize: options.driverQueueSize }),
  });
  const ready = driver;
  return Object.assign(machine, {
    device,
    driver: ready,
    read: (sector: number, data: readonly Segment[]) => new Promise<number>((resolve) => ready.read(sector, data, resolve)),
    write: (sector: number, data: readonly Segment[]) => new Promise<number>((resolve) => ready.write(sector, data, resolve)),
    flush: () => new Promise<number>((resolve) => ready.flush(resolve)),
    getId: () => new Promise<{ status: number; id: string }>((resolve) => ready.getId((status, id) => resolve({ status, id }))),
  });
}
