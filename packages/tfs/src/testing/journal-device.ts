// Test support: a device that journals every sector write and flush, to replay crashes.
import { fragmentsOf } from "../block-device.js";
import { SECTOR_SIZE } from "../constants.js";
import { MemoryBlockDevice } from "../memory-block-device.js";
import { ObservedBlockDevice } from "../observed-block-device.js";

/** One journal entry: a single sector written, or a flush barrier. */
export type JournalEntry = { sector: number; data: Uint8Array } | "flush";

/** A memory device (a copy of `base`) whose sector writes and flushes are journaled. */
export class JournalDevice extends ObservedBlockDevice {
  readonly journal: JournalEntry[];
  readonly #base: Uint8Array;

  constructor(base: Uint8Array) {
    const journal: JournalEntry[] = [];
    super(MemoryBlockDevice.from(base), {
      onWrite(sector, source) {
        let at = sector;
        for (const f of fragmentsOf(source)) {
          for (let i = 0; i < f.length; i += SECTOR_SIZE) journal.push({ sector: at++, data: f.slice(i, i + SECTOR_SIZE) });
        }
      },
      onFlush() {
        journal.push("flush");
      },
    });
    this.journal = journal;
    this.#base = base;
  }

  /**
   * The image a crash would leave after `cut` journal entries: every write before the last
   * flush at or before `cut`, and `keep(i)` deciding, for each write after it up to `cut`,
   * whether that sector reached the disk (writes between flushes may land in any order).
   * `tear(i)` may return a byte count for an unflushed write: only that prefix of the sector
   * lands (a torn sector), the rest keeps its old bytes.
   */
  crashImage(cut: number, keep: (index: number) => boolean, tear: (index: number) => number | undefined = () => undefined): MemoryBlockDevice {
    const device = MemoryBlockDevice.from(this.#base);
    let lastFlush = -1;
    for (let i = 0; i < cut; i++) if (this.journal[i] === "flush") lastFlush = i;
    const old = new Uint8Array(SECTOR_SIZE);
    for (let i = 0; i < cut; i++) {
      const e = this.journal[i]!;
      if (e === "flush") continue;
      if (i < lastFlush) {
        device.write(e.sector, e.data);
      } else if (keep(i)) {
        const torn = tear(i);
        if (torn === undefined) {
          device.write(e.sector, e.data);
        } else {
          device.read(e.sector, old);
          old.set(e.data.subarray(0, torn));
          device.write(e.sector, old);
        }
      }
    }
    return device;
  }
}
