import { lstatSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Tfs } from "../tfs.js";

/**
 * Copies a filesystem's tree into the host directory `dir` (created if needed), as
 * `dump -d` does: directories and regular files, and, unlike Nanos, symlinks too. Entries that
 * are none of those are skipped, and so are names that could escape `dir` on the host (`.`,
 * `..`, names with `/` or NUL), and nothing is written through an existing symlink — a hostile
 * image cannot write outside `dir`. Returns the number of entries written.
 */
export function extractTo(fs: Tfs, dir: string, from = "/"): number {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  for (const entry of fs.readdir(from, { withFileTypes: true })) {
    if (entry.name === "" || entry.name === "." || entry.name === ".." || /[/\0]/.test(entry.name)) continue;
    const source = from === "/" ? `/${entry.name}` : `${from}/${entry.name}`;
    const target = join(dir, entry.name);
    // Never write through a symlink already there (say, one this extraction made under a name
    // that a case-insensitive host folds together with this one).
    if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink() === true) continue;
    if (entry.isDirectory()) {
      count += 1 + extractTo(fs, target, source);
    } else if (entry.isFile()) {
      writeFileSync(target, fs.readFile(source));
      count++;
    } else if (entry.isSymbolicLink()) {
      symlinkSync(fs.readlink(source), target);
      count++;
    }
  }
  return count;
}
