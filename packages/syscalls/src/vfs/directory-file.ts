import { fail } from "../linux-error.js";
import { Seek } from "../linux-constants.js";
import { concatBytes } from "../structs/bytes-view.js";
import { dirent64Length, encodeDirent64 } from "../structs/dirent64.js";
import type { StatData } from "../structs/stat.js";
import { FileDescription } from "./file-description.js";

/** One entry a directory lists. */
export interface DirectoryEntry {
  /** The entry's name. */
  readonly name: string;
  /** Its inode number. */
  readonly ino: number;
  /** `d_type`. */
  readonly type: number;
}

/**
 * An open directory. `getdents64` lists `.`, `..` and the children in name order from a
 * snapshot taken when reading starts at offset 0 (so `rewinddir` sees changes); the offset is
 * the index of the next entry and each record's `d_off` is the index after it.
 */
export class DirectoryDescription extends FileDescription {
  readonly #list: () => DirectoryEntry[];
  readonly #stat: () => StatData;
  #snapshot: DirectoryEntry[] | undefined;
  /** Set when the directory is removed while open: listing it is then `ENOENT`, as on Linux. */
  removed = false;

  constructor(flags: number, path: string, list: () => DirectoryEntry[], stat: () => StatData) {
    super(flags, path);
    this.#list = list;
    this.#stat = stat;
  }

  override get isDirectory(): boolean {
    return true;
  }

  override read(): Uint8Array {
    if (this.pathOnly) fail("EBADF");
    fail("EISDIR");
  }

  override pread(): Uint8Array {
    if (this.pathOnly) fail("EBADF");
    fail("EISDIR");
  }

  override getdents64(max: number): Uint8Array {
    if (this.pathOnly) fail("EBADF");
    if (this.removed) fail("ENOENT", "the directory was removed");
    if (this.offset === 0 || this.#snapshot === undefined) this.#snapshot = this.#list();
    this.accessed();
    const entries = this.#snapshot;
    const records: Uint8Array[] = [];
    let used = 0;
    let at = this.offset;
    const encoder = new TextEncoder();
    while (at < entries.length) {
      const e = entries[at]!;
      const length = dirent64Length(encoder.encode(e.name).length);
      if (used + length > max) break;
      records.push(encodeDirent64({ ino: e.ino, off: at + 1, type: e.type, name: e.name }));
      used += length;
      at++;
    }
    if (records.length === 0 && at < entries.length) fail("EINVAL", "buffer too small for one entry");
    this.offset = at;
    return concatBytes(records);
  }

  override seek(offset: number, whence: number): number {
    if (this.pathOnly) fail("EBADF");
    // Directory offsets are entry indexes: only absolute and relative moves make sense.
    if (whence !== Seek.SEEK_SET && whence !== Seek.SEEK_CUR) fail("EINVAL");
    const to = whence === Seek.SEEK_SET ? offset : this.offset + offset;
    if (to < 0 || !Number.isSafeInteger(to)) fail("EINVAL");
    this.offset = to;
    return to;
  }

  override stat(): StatData {
    return this.#stat();
  }

  override available(): number {
    return 0;
  }
}
