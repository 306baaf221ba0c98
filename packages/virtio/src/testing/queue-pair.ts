// Test support (not exported): a driver half and a device half of one queue over shared memory.
import { DeviceQueue } from "../device-queue.js";
import { DriverQueue } from "../driver-queue.js";
import { BufferGuestMemory } from "../guest-memory.js";
import { layoutQueue, type QueueAddresses } from "../ring-layout.js";
import type { VirtioError } from "../virtio-error.js";

export const QUEUE_BASE = 0x1000;
export const INDIRECT_BASE = 0x100000;
export const BUFFER_BASE = 0x200000;
export const MEMORY_SIZE = 0x400000;

export interface QueuePair {
  readonly memory: BufferGuestMemory;
  readonly addresses: QueueAddresses;
  readonly driver: DriverQueue;
  readonly device: DeviceQueue;
  readonly errors: VirtioError[];
}

export function makeQueuePair(options: { size: number; eventIdx?: boolean; indirectSegments?: number }): QueuePair {
  const memory = new BufferGuestMemory(new ArrayBuffer(MEMORY_SIZE));
  const addresses = layoutQueue(QUEUE_BASE, options.size);
  const driver = new DriverQueue({
    memory, size: options.size, addresses, eventIdx: options.eventIdx === true,
    ...(options.indirectSegments === undefined ? {} : { indirect: { addr: INDIRECT_BASE, maxSegments: options.indirectSegments } }),
  });
  const errors: VirtioError[] = [];
  const device = new DeviceQueue({
    memory, size: options.size, addresses, eventIdx: options.eventIdx === true,
    indirect: options.indirectSegments !== undefined, onError: (error) => errors.push(error),
  });
  return { memory, addresses, driver, device, errors };
}
