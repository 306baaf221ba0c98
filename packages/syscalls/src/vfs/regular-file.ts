import { fail } from "../linux-error.js";
import type { StatData } from "../structs/stat.js";
import { FileDescription } from "./file-description.js";
import type { OpenFile } from "./open-file.js";

/** An open regular file of the TFS tree. */
export class RegularFileDescription extends FileDescription {
  /** The file. */
  readonly file: OpenFile;
  readonly #stat: () => StatData;

  constructor(flags: number, path: string, file: OpenFile, stat: () => StatData) {
    super(flags, path);
    this.file = file;
    this.#stat = stat;
    file.ref();
  }

  protected override readAt(length: number, position: number): Uint8Array {
    if (length > 0) this.accessed();
    return this.file.read(length, position);
  }

  protected override writeAt(data: Uint8Array, position: number): number {
    if (data.length > 0) this.file.write(data, position);
    return data.length;
  }

  override size(): number {
    return this.file.size();
  }

  protected override seekDataOrHole(offset: number, data: boolean): number {
    const size = this.size();
    if (offset < 0 || offset >= size) fail("ENXIO");
    let at = offset;
    for (const [start, end] of this.file.dataRanges()) {
      if (end <= at) continue;
      if (data) return Math.max(at, start);
      if (start > at) return at; // a hole before this extent
      at = end; // inside data: the hole starts where the data (run) ends
    }
    if (data) fail("ENXIO"); // only hole from here to the end
    return Math.min(at, size);
  }

  override stat(): StatData {
    return this.#stat();
  }

  override truncate(length: number): void {
    if (!this.writable) fail("EINVAL", "not open for writing");
    this.file.truncate(length);
  }

  protected override release(): void {
    this.file.unref();
  }
}
