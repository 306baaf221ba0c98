import type { StatData } from "../structs/stat.js";
import { FileDescription } from "./file-description.js";

/**
 * An `O_PATH` description of a file, device or symlink: a location only. `fstat`, `fchdir`
 * (for directories, which keep their own class) and use as a `dirfd` work; reading, writing
 * and seeking fail with `EBADF` (the base class checks `pathOnly`).
 */
export class PathDescription extends FileDescription {
  readonly #stat: () => StatData;

  constructor(flags: number, path: string, stat: () => StatData) {
    super(flags, path);
    this.#stat = stat;
  }

  override stat(): StatData {
    return this.#stat();
  }
}
