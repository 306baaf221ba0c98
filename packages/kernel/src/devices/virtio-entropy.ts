// The kernel's randomness (AT_RANDOM, getrandom, /dev/urandom, ASLR) comes from a virtio-rng
// device, as on Nanos: the driver posts a buffer in guest RAM and the device fills it from the
// host's CSPRNG.
import { BufferGuestMemory, DeviceId, DriverQueue, FeatureBit, layoutQueue, queueFootprint, VirtioMmioDevice, VirtioMmioDriver, VirtioRngDevice, type EntropySource } from "@nanots/virtio";
import type { FrameAllocator } from "../mm/frames.js";

const QUEUE_SIZE = 8;
const PAGE = 4096;

/** A virtio-rng device and its driver; `fill` is the kernel's random source. */
export class VirtioEntropy {
  readonly device: VirtioMmioDevice;
  private readonly transport: VirtioMmioDriver;
  private readonly queue: DriverQueue;
  private readonly ram: Uint8Array;
  /** A guest page the device writes into. */
  private readonly buffer: number;

  constructor(ram: { buffer: ArrayBuffer }, frames: FrameAllocator, source?: EntropySource) {
    const memory = new BufferGuestMemory(ram.buffer);
    this.ram = new Uint8Array(ram.buffer);
    this.device = new VirtioMmioDevice({ memory, model: new VirtioRngDevice(source ? { source } : {}) });
    this.transport = new VirtioMmioDriver(this.device);
    const { deviceId } = this.transport.probe();
    if (deviceId !== DeviceId.ENTROPY) throw new Error(`virtio-rng: device ID ${deviceId} is not an entropy device`);
    this.transport.negotiate(0n | (1n << BigInt(FeatureBit.VERSION_1)));
    const ring = frames.allocate();
    const buffer = frames.allocate();
    if (ring < 0 || buffer < 0 || queueFootprint(QUEUE_SIZE) > PAGE) throw new Error("virtio-rng: no guest memory for the queue");
    const addresses = layoutQueue(ring, QUEUE_SIZE);
    this.queue = new DriverQueue({ memory, size: QUEUE_SIZE, addresses });
    this.transport.setupQueue(0, QUEUE_SIZE, addresses);
    this.transport.driverOk();
    this.buffer = buffer;
  }

  /** Fills `out` with bytes from the device. */
  fill(out: Uint8Array): void {
    for (let done = 0; done < out.length; ) {
      const want = Math.min(PAGE, out.length - done);
      let got = -1;
      this.queue.submit([{ addr: this.buffer, len: want, writable: true }], (used) => {
        got = used;
      });
      this.transport.notify(0);
      this.transport.acknowledgeInterrupt();
      this.queue.reap();
      if (got <= 0) throw new Error("virtio-rng: the device returned no bytes");
      out.set(this.ram.subarray(this.buffer, this.buffer + got), done);
      done += got;
    }
  }
}
