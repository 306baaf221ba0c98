// Test support (not exported): raw virtio-blk requests, bypassing VirtioBlkDriver's own checks.
import type { BlockBackend } from "../devices/block-backend.js";
import { BlkFeatureBit, BlkRequestType } from "../devices/blk-constants.js";
import { VirtioBlkDevice } from "../devices/blk-device.js";
import { DriverQueue } from "../driver-queue.js";
import { VirtioMmioDriver } from "../mmio-driver.js";
import { layoutQueue } from "../ring-layout.js";
import { featureMask } from "../virtio-constants.js";
import { DATA, makeMachine, SCRATCH } from "./machine.js";

/**
 * A virtio-blk device over `backend` driven by hand-built chains, the way a hostile guest would
 * write them (our VirtioBlkDriver refuses such requests before they reach the ring).
 */
export function rawRequester(backend: BlockBackend) {
  const machine = makeMachine(new VirtioBlkDevice({ backend }));
  const driver = new VirtioMmioDriver(machine.transport);
  driver.negotiate(featureMask(BlkFeatureBit.FLUSH));
  const addresses = layoutQueue(SCRATCH, 16);
  const queue = new DriverQueue({ memory: machine.memory, size: 16, addresses });
  driver.setupQueue(0, 16, addresses);
  driver.driverOk();
  return (type: number, sector: number, dataBytes: number, headerBytes = 16): number => {
    const header = DATA;
    machine.memory.write32(header, type);
    machine.memory.write32(header + 4, 0);
    machine.memory.write64(header + 8, sector);
    const status = DATA + 0x100;
    machine.memory.write8(status, 0xee);
    const segments = [{ addr: header, len: headerBytes, writable: false }];
    if (dataBytes > 0) segments.push({ addr: DATA + 0x1000, len: dataBytes, writable: type !== BlkRequestType.OUT });
    segments.push({ addr: status, len: 1, writable: true });
    queue.submit(segments, () => {});
    driver.notify(0);
    queue.reap();
    return machine.memory.read8(status);
  };
}
