// Test support (not exported): one device model behind a virtio-mmio transport in guest memory.
import type { VirtioDeviceModel } from "../device-model.js";
import { BufferGuestMemory } from "../guest-memory.js";
import { VirtioMmioDevice, type VirtioMmioDeviceOptions } from "../mmio-device.js";
import type { VirtioError } from "../virtio-error.js";

export const SCRATCH = 0x10000;
export const DATA = 0x200000;

export interface Machine {
  readonly memory: BufferGuestMemory;
  readonly transport: VirtioMmioDevice;
  readonly errors: VirtioError[];
  /** Number of times the interrupt line was raised. */
  interrupts: number;
}

export function makeMachine(
  model: VirtioDeviceModel,
  options: Partial<Omit<VirtioMmioDeviceOptions, "memory" | "model">> & { memoryBytes?: number; memory?: BufferGuestMemory } = {},
): Machine {
  const memory = options.memory ?? new BufferGuestMemory(new ArrayBuffer(options.memoryBytes ?? 0x800000));
  const machine: Machine = {
    memory,
    errors: [],
    interrupts: 0,
    transport: undefined as unknown as VirtioMmioDevice,
  };
  (machine as { transport: VirtioMmioDevice }).transport = new VirtioMmioDevice({
    ...options,
    memory,
    model,
    onError: (error) => {
      machine.errors.push(error);
      options.onError?.(error);
    },
    onInterrupt: (status) => {
      machine.interrupts++;
      options.onInterrupt?.(status);
    },
  });
  return machine;
}
