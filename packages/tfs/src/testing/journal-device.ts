// Test support: a device that journals every sector write and flush, to replay crashes.
import { fragmentsOf, type BlockDevice, type SectorBuffers } from "../block-device.js";
import { SECTOR_SIZE } from "../constants.js";
import { MemoryBlockDevice } from "../memory-block-device.js";

/** One journal entry: a single sector written, or a flush barrier. */
export type JournalEntry = { sector: number; data: Uint8Array } | "flush";

/** Passes writes to a memory device and records them sector by sector. */
export class JournalDevice implements BlockDevice {
  readonly journal: JournalEntry[] = [];
  readonly #inner: MemoryBlockDevice;
  readonly #base: Uint8Array;

  constructor(base: Uint8Array) {
    this.#base = base;
    this.#inner = MemoryBlockDevice.from(base);
  }

  get sectorCount(): number {
    return this.#inner.sectorCount;
  }

  read(sector: number, target: SectorBuffers): void {
    this.#inner.read(sector, target);
  }

  write(sector: number, source: SectorBuffers): void {
    this.#inner.write(sector, source);
    let at = sector;
    for (const f of fragmentsOf(source)) {
      for (let i = 0; i < f.length; i += SECTOR_SIZE) this.journal.push({ sector: at++, data: f.slice(i, i + SECTOR_SIZE) });
    }
  }

  flush(): void {
    this.journal.push("flush");
  }

  /**
   * The image a crash would leave after `cut` journal entries: every write before the last
   * flush at or before `cut`, and `keep(i)` deciding, for each write after it up to `cut`,
   * whether that sector reached the disk (writes between flushes may land in any order).
   */
  crashImage(cut: number, keep: (index: number) => boolean): MemoryBlockDevice {
    const device = MemoryBlockDevice.from(this.#base);
    let lastFlush = -1;
    for (let i = 0; i < cut; i++) if (this.journal[i] === "flush") lastFlush = i;
    for (let i = 0; i < cut; i++) {
      const e = this.journal[i]!;
      if (e === "flush") continue;
      if (i < lastFlush || keep(i)) device.write(e.sector, e.data);
    }
    return device;
  }
}
