// The root disk as the kernel sees it: a virtio-blk device on the virtio-mmio transport, driven
// through real split virtqueues in guest RAM, with a page cache of 4 KiB disk pages held in
// guest frames (the device writes disk bytes straight into them). It is the synchronous
// BlockDevice @nanots/tfs mounts.
import { checkTransfer, fragmentsOf, SECTOR_SIZE, type BlockDevice, type SectorBuffers } from "@nanots/tfs";
import { BufferGuestMemory, VirtioBlkDevice, VirtioBlkDriver, VirtioMmioDevice, type BlockBackend } from "@nanots/virtio";
import type { FrameAllocator } from "../mm/frames.js";

const PAGE = 4096;
const SECTORS_PER_PAGE = PAGE / SECTOR_SIZE;

/** A disk I/O that failed; TFS turns it into EIO for the guest. */
export class DiskError extends Error {
  override name = "DiskError";
}

/** Options of {@link VirtioDisk}. */
export interface VirtioDiskOptions {
  /** Guest RAM (the CPU's). */
  ram: { buffer: ArrayBuffer };
  /** Where cache pages and the driver's rings come from. */
  frames: FrameAllocator;
  /** The disk image behind the device (must complete synchronously: memory or a sync file). */
  backend: BlockBackend;
  /** Most disk pages to keep cached (default 4096 = 16 MiB). */
  cachePages?: number;
}

/** A virtio-blk disk with a page cache, as a TFS BlockDevice. */
export class VirtioDisk implements BlockDevice {
  readonly sectorCount: number;
  readonly driver: VirtioBlkDriver;
  readonly device: VirtioMmioDevice;
  /** Disk page number → guest frame, in least-recently-used order (Map keeps insertion order). */
  private readonly cache = new Map<number, number>();
  private readonly memory: BufferGuestMemory;
  private readonly ram: Uint8Array;
  private readonly frames: FrameAllocator;
  private readonly cachePages: number;
  private interruptPending = false;
  /** The last error the device reported about our requests (a driver bug if ever set). */
  private deviceError = "";
  /** Cache hits and misses, for the management view and tests. */
  hits = 0;
  misses = 0;

  constructor(options: VirtioDiskOptions) {
    this.memory = new BufferGuestMemory(options.ram.buffer);
    this.ram = new Uint8Array(options.ram.buffer);
    this.frames = options.frames;
    this.cachePages = options.cachePages ?? 4096;
    this.device = new VirtioMmioDevice({
      memory: this.memory,
      model: new VirtioBlkDevice({ backend: options.backend, id: "nanots-root" }),
      onInterrupt: () => {
        this.interruptPending = true;
      },
      onError: (e) => {
        this.deviceError = e.message;
      },
    });
    const scratchBytes = VirtioBlkDriver.scratchBytes(64);
    const scratch = this.contiguousFrames(Math.ceil(scratchBytes / PAGE));
    this.driver = new VirtioBlkDriver({ regs: this.device, memory: this.memory, scratch, queueSize: 64 });
    this.sectorCount = this.driver.capacity;
  }

  /** `n` physically contiguous frames (the allocator hands them out in order at boot). */
  private contiguousFrames(n: number): number {
    const first = this.allocate();
    for (let k = 1; k < n; k++) {
      if (this.allocate() !== first + k * PAGE) throw new DiskError("virtio-blk: no contiguous memory for the rings");
    }
    return first;
  }

  private allocate(): number {
    const f = this.frames.allocate();
    if (f < 0) throw new DiskError("guest RAM exhausted by the disk cache");
    return f;
  }

  /** Submits one request and services the device until it completes. */
  private transfer(start: (done: (status: number) => void) => void, what: string): void {
    let status = -1;
    start((s) => {
      status = s;
    });
    for (let spins = 0; status < 0 && spins < 4; spins++) {
      if (this.interruptPending) {
        this.interruptPending = false;
        this.driver.handleInterrupt();
      } else this.driver.poll();
    }
    if (status < 0) throw new DiskError(`virtio-blk: ${what} did not complete (the disk backend must be synchronous)`);
    if (status !== 0) throw new DiskError(`virtio-blk: ${what} failed with status ${status}${this.deviceError ? ` (${this.deviceError})` : ""}`);
  }

  /** The cache frame of disk page `page`, reading it from the device on a miss. */
  private page(page: number): number {
    const cached = this.cache.get(page);
    if (cached !== undefined) {
      this.hits++;
      this.cache.delete(page);
      this.cache.set(page, cached);
      return cached;
    }
    this.misses++;
    let frame: number;
    if (this.cache.size >= this.cachePages) {
      const [oldest, oldFrame] = this.cache.entries().next().value as [number, number];
      this.cache.delete(oldest);
      frame = oldFrame;
    } else frame = this.allocate();
    const sector = page * SECTORS_PER_PAGE;
    const sectors = Math.min(SECTORS_PER_PAGE, this.sectorCount - sector);
    this.ram.fill(0, frame, frame + PAGE);
    this.transfer((done) => this.driver.read(sector, [{ addr: frame, len: sectors * SECTOR_SIZE }], done), `read of sector ${sector}`);
    this.cache.set(page, frame);
    return frame;
  }

  read(sector: number, target: SectorBuffers): void {
    checkTransfer(this, sector, target);
    let position = sector * SECTOR_SIZE;
    for (const fragment of fragmentsOf(target)) {
      for (let at = 0; at < fragment.length; ) {
        const frame = this.page(Math.floor(position / PAGE));
        const inPage = position % PAGE;
        const n = Math.min(fragment.length - at, PAGE - inPage);
        fragment.set(this.ram.subarray(frame + inPage, frame + inPage + n), at);
        at += n;
        position += n;
      }
    }
  }

  /** Write-through: the cache page takes the bytes, then the device writes those sectors from it. */
  write(sector: number, source: SectorBuffers): void {
    checkTransfer(this, sector, source);
    let position = sector * SECTOR_SIZE;
    for (const fragment of fragmentsOf(source)) {
      for (let at = 0; at < fragment.length; ) {
        const pageNumber = Math.floor(position / PAGE);
        const frame = this.page(pageNumber);
        const inPage = position % PAGE;
        const n = Math.min(fragment.length - at, PAGE - inPage);
        this.ram.set(fragment.subarray(at, at + n), frame + inPage);
        const first = position / SECTOR_SIZE;
        this.transfer((done) => this.driver.write(first, [{ addr: frame + inPage, len: n }], done), `write of sector ${first}`);
        at += n;
        position += n;
      }
    }
  }

  flush(): void {
    this.transfer((done) => this.driver.flush(done), "flush");
  }
}
