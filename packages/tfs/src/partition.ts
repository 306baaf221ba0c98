import { checkTransfer, type BlockDevice, type SectorBuffers } from "./block-device.js";
import { SECTOR_SIZE } from "./constants.js";

const PARTITION_TABLE = 0x1be;
const ESP_TYPE = 0xef;

/**
 * Where the root TFS of a disk starts, in sectors, by Nanos's rule (TFS-FORMAT.md §2.2): with
 * an MBR signature (55 AA), partition entry 1, or entry 2 when entry 0 is an EFI system
 * partition; an entry with LBA 0 or no sectors, or no signature at all, means a raw volume at
 * sector 0.
 */
export function rootFilesystemStart(device: BlockDevice): number {
  if (device.sectorCount < 1) return 0;
  const mbr = new Uint8Array(SECTOR_SIZE);
  device.read(0, mbr);
  if (mbr[510] !== 0x55 || mbr[511] !== 0xaa) return 0;
  const entry = (i: number): { type: number; lba: number; count: number } => {
    const at = PARTITION_TABLE + 16 * i;
    const view = new DataView(mbr.buffer, mbr.byteOffset + at, 16);
    return { type: view.getUint8(4), lba: view.getUint32(8, true), count: view.getUint32(12, true) };
  };
  const root = entry(entry(0).type === ESP_TYPE ? 2 : 1);
  return root.lba === 0 || root.count === 0 || root.lba >= device.sectorCount ? 0 : root.lba;
}

/**
 * The root filesystem of a disk: `disk` itself for a raw volume, else a {@link PartitionDevice}
 * at the partition {@link rootFilesystemStart} finds.
 *
 * @example
 * ```ts
 * const fs = Tfs.mount(rootFilesystemDevice(FileBlockDevice.open("boot-disk.img")));
 * ```
 */
export function rootFilesystemDevice(disk: BlockDevice): BlockDevice {
  const start = rootFilesystemStart(disk);
  return start === 0 ? disk : new PartitionDevice(disk, start);
}

/**
 * A window onto `device` from sector `start` to its end (a partition): sector 0 of the view
 * is `start` of the device.
 */
export class PartitionDevice implements BlockDevice {
  readonly #device: BlockDevice;
  readonly #start: number;

  /** A view of `device` from sector `start` on. */
  constructor(device: BlockDevice, start: number) {
    if (!Number.isSafeInteger(start) || start < 0 || start > device.sectorCount) throw new RangeError(`partition start ${start} is outside the device`);
    this.#device = device;
    this.#start = start;
  }

  /** Sectors from `start` to the end of the device. */
  get sectorCount(): number {
    return this.#device.sectorCount - this.#start;
  }

  /** Reads sectors of the partition. */
  read(sector: number, target: SectorBuffers): void {
    checkTransfer(this, sector, target);
    this.#device.read(this.#start + sector, target);
  }

  /** Writes sectors of the partition. */
  write(sector: number, source: SectorBuffers): void {
    checkTransfer(this, sector, source);
    this.#device.write(this.#start + sector, source);
  }

  /** Flushes the whole device. */
  flush(): void {
    this.#device.flush();
  }
}
