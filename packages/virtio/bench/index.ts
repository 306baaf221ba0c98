// Benchmarks of @nanots/virtio: virtio-blk requests through the whole path (driver → split ring
// → virtio-mmio device → MemoryBlockBackend → back through the used ring and an interrupt)
// against a plain memcpy of the same bytes between the same buffers.
import { runSuites, type Contender, type Suite } from "@nanots/bench-kit";
import { BufferGuestMemory, MemoryBlockBackend, VirtioBlkDevice, VirtioBlkDriver, VirtioMmioDevice, type Segment } from "@nanots/virtio";

const PAGE = 4096;
const DISK_BYTES = 16 << 20;
const SCRATCH = 0x10000;
const SOURCE = 0x400000;
const DEST = 0x800000;
const GUEST_BYTES = 0xc00000;
/** Requests kept in flight before the driver handles the interrupt. */
const DEPTH = 32;

/** Each request is `pages` 4 KiB pages, as Nanos's page cache issues them (one sg entry per page). */
function suite(pages: number, requests: number): Suite {
  const size = pages * PAGE;
  const diskSlots = DISK_BYTES / size;
  const fillSource = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >>> 12)) & 0xff;
  };
  const checksum = (dest: Uint8Array, sum: number): number => (sum + dest[0]! * 3 + dest[size - 1]! + dest[size >>> 1]!) >>> 0;

  const virtio: Contender = {
    name: "virtio-blk (full path)",
    ours: true,
    make() {
      const memory = new BufferGuestMemory(new ArrayBuffer(GUEST_BYTES));
      fillSource(memory.bytes(SOURCE, size));
      const backend = new MemoryBlockBackend(DISK_BYTES);
      let interrupted = false;
      const transport = new VirtioMmioDevice({ memory, model: new VirtioBlkDevice({ backend }), onInterrupt: () => (interrupted = true) });
      const driver = new VirtioBlkDriver({ regs: transport, memory, scratch: SCRATCH, queueSize: 128 });
      const pagesAt = (base: number): Segment[] => Array.from({ length: pages }, (_, p) => ({ addr: base + p * PAGE, len: PAGE }));
      const source = pagesAt(SOURCE);
      const dest = pagesAt(DEST);
      const destBytes = memory.bytes(DEST, size);
      const run = (read: boolean): number => {
        let sum = 0;
        let completed = 0;
        const done = (): void => {
          completed++;
          if (read) sum = checksum(destBytes, sum);
        };
        for (let i = 0; i < requests; i++) {
          const sector = (i % diskSlots) * (size / 512);
          if (read) driver.read(sector, dest, done);
          else driver.write(sector, source, done);
          if (interrupted && (i + 1) % DEPTH === 0) {
            interrupted = false;
            driver.handleInterrupt();
          }
        }
        while (completed < requests) {
          interrupted = false;
          driver.handleInterrupt();
        }
        return read ? sum : completed;
      };
      return { "write requests": () => run(false), "write bytes": () => run(false), "read requests": () => run(true), "read bytes": () => run(true) };
    },
  };

  const memcpy: Contender = {
    name: "memcpy baseline",
    make() {
      const guest = new Uint8Array(GUEST_BYTES);
      fillSource(guest.subarray(SOURCE, SOURCE + size));
      const disk = new Uint8Array(DISK_BYTES);
      const destBytes = guest.subarray(DEST, DEST + size);
      const run = (read: boolean): number => {
        let sum = 0;
        for (let i = 0; i < requests; i++) {
          const at = (i % diskSlots) * size;
          for (let p = 0; p < pages; p++) {
            if (read) guest.set(disk.subarray(at + p * PAGE, at + (p + 1) * PAGE), DEST + p * PAGE);
            else disk.set(guest.subarray(SOURCE + p * PAGE, SOURCE + (p + 1) * PAGE), at + p * PAGE);
          }
          if (read) sum = checksum(destBytes, sum);
        }
        return read ? sum : requests;
      };
      return { "write requests": () => run(false), "write bytes": () => run(false), "read requests": () => run(true), "read bytes": () => run(true) };
    },
  };

  return {
    title: `virtio-blk ${size / 1024} KiB requests (${pages} × 4 KiB segments), queue depth ${DEPTH}; "bytes" rows are bytes/s`,
    ops: { "write requests": requests, "write bytes": requests * size, "read requests": requests, "read bytes": requests * size },
    contenders: [virtio, memcpy],
  };
}

runSuites(import.meta.url, [suite(1, 40_000), suite(16, 4_000)]);
