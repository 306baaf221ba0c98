// Benchmarks of @nanots/virtio: virtio-blk requests through the whole path (driver → split ring
// → virtio-mmio device → MemoryBlockBackend → back through the used ring and an interrupt)
// against a plain memcpy of the same bytes between the same buffers.
import { closeSync, openSync, readvSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSuites, type Contender, type Suite } from "@nanots/bench-kit";
import { BufferGuestMemory, MemoryBlockBackend, VirtioBlkDevice, VirtioBlkDriver, VirtioMmioDevice, type BlockBackend, type Segment } from "@nanots/virtio";
import { FileBlockBackend } from "@nanots/virtio/node";

const PAGE = 4096;
const DISK_BYTES = 16 << 20;
const SCRATCH = 0x10000;
const SOURCE = 0x400000;
const DEST = 0x800000;
const GUEST_BYTES = 0xc00000;
/** Requests kept in flight before the driver handles the interrupt. */
const DEPTH = 32;

/**
 * The check value of a read phase: the request count and the bytes of the destination after the
 * last request (completions may run after later requests reuse the buffer, so not per request).
 */
function checksum(dest: Uint8Array, count: number): number {
  let sum = count;
  for (let i = 0; i < dest.length; i += 509) sum = (sum * 31 + dest[i]!) >>> 0;
  return sum;
}

/** Each request is `pages` 4 KiB pages, as Nanos's page cache issues them (one sg entry per page). */
function suite(pages: number, requests: number): Suite {
  const size = pages * PAGE;
  const diskSlots = DISK_BYTES / size;
  const fillSource = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >>> 12)) & 0xff;
  };

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
        let completed = 0;
        const done = (): void => {
          completed++;
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
        return read ? checksum(destBytes, completed) : completed;
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
        for (let i = 0; i < requests; i++) {
          const at = (i % diskSlots) * size;
          for (let p = 0; p < pages; p++) {
            if (read) guest.set(disk.subarray(at + p * PAGE, at + (p + 1) * PAGE), DEST + p * PAGE);
            else disk.set(guest.subarray(SOURCE + p * PAGE, SOURCE + (p + 1) * PAGE), at + p * PAGE);
          }
        }
        return read ? checksum(destBytes, requests) : requests;
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

/** A page-cached image file for the file suite, made once per process and removed at exit. */
let image: string | undefined;
function imageFile(): string {
  if (image === undefined) {
    image = join(tmpdir(), `nanots-virtio-bench-${process.pid}.img`);
    const bytes = new Uint8Array(DISK_BYTES);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >>> 9)) & 0xff;
    writeFileSync(image, bytes);
    const path = image;
    process.on("exit", () => rmSync(path, { force: true }));
  }
  return image;
}

/** 64 KiB reads from a page-cached host file: the whole virtio path vs `readvSync` into the same guest pages. */
function fileSuite(requests: number): Suite {
  const pages = 16;
  const size = pages * PAGE;
  const slots = DISK_BYTES / size;
  const virtio: Contender = {
    name: "virtio-blk + FileBlockBackend",
    ours: true,
    make() {
      const memory = new BufferGuestMemory(new ArrayBuffer(GUEST_BYTES));
      const backend: BlockBackend = FileBlockBackend.open(imageFile(), { readOnly: true });
      let interrupted = false;
      const transport = new VirtioMmioDevice({ memory, model: new VirtioBlkDevice({ backend }), onInterrupt: () => (interrupted = true) });
      const driver = new VirtioBlkDriver({ regs: transport, memory, scratch: SCRATCH, queueSize: 128 });
      const dest: Segment[] = Array.from({ length: pages }, (_, p) => ({ addr: DEST + p * PAGE, len: PAGE }));
      const destBytes = memory.bytes(DEST, size);
      return {
        "read requests": () => {
          let completed = 0;
          for (let i = 0; i < requests; i++) {
            driver.read((i % slots) * (size / 512), dest, () => completed++);
            if (interrupted && (i + 1) % DEPTH === 0) {
              interrupted = false;
              driver.handleInterrupt();
            }
          }
          while (completed < requests) driver.handleInterrupt();
          return checksum(destBytes, completed);
        },
      };
    },
  };
  const direct: Contender = {
    name: "readvSync into guest pages",
    make() {
      const guest = new Uint8Array(GUEST_BYTES);
      const fd = openSync(imageFile(), "r");
      process.on("exit", () => closeSync(fd));
      const views = Array.from({ length: pages }, (_, p) => guest.subarray(DEST + p * PAGE, DEST + (p + 1) * PAGE));
      const destBytes = guest.subarray(DEST, DEST + size);
      return {
        "read requests": () => {
          for (let i = 0; i < requests; i++) readvSync(fd, views, (i % slots) * size);
          return checksum(destBytes, requests);
        },
      };
    },
  };
  return {
    title: "virtio-blk 64 KiB reads (16 × 4 KiB segments) from a page-cached image file",
    ops: { "read requests": requests },
    contenders: [virtio, direct],
  };
}

runSuites(import.meta.url, [suite(1, 40_000), suite(16, 4_000), fileSuite(4_000)]);
