import { closeSync, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { MkfsError, type MkfsHost } from "../mkfs.js";
import { readFully } from "./file-block-device.js";

/** Options of {@link nodeMkfsHost}. */
export interface NodeMkfsHostOptions {
  /** Directory relative host paths are resolved against (default: the process's cwd). */
  cwd?: string;
  /** `mkfs -r`: look host paths up inside this directory first. */
  targetRoot?: string;
}

/**
 * Reads `contents:(host:PATH)` files from the host file system as Nanos `mkfs` does: paths
 * relative to the cwd; with a target root R, `R/PATH` first (an absolute symlink there is
 * retried inside R, a relative one followed on the host), falling back to the host `PATH`.
 * Symlinks are followed: their target's content is stored.
 */
export function nodeMkfsHost(options: NodeMkfsHostOptions = {}): MkfsHost {
  const cwd = options.cwd ?? process.cwd();
  const locate = (path: string): string => {
    if (options.targetRoot !== undefined) {
      const root = resolve(cwd, options.targetRoot);
      let inRoot = join(root, path);
      for (let hops = 0; hops < 40; hops++) {
        const info = lstatSync(inRoot, { throwIfNoEntry: false });
        if (info === undefined) break;
        if (!info.isSymbolicLink()) return inRoot;
        const target = readlinkSync(inRoot);
        if (!isAbsolute(target)) return inRoot;
        inRoot = join(root, target);
      }
    }
    return resolve(cwd, path);
  };
  return {
    readFile(path) {
      try {
        return readFileSync(locate(path));
      } catch (e) {
        throw new MkfsError(`couldn't stat file ${path}: ${(e as Error).message}`, 2, { cause: e });
      }
    },
    size(path) {
      return statSync(locate(path), { throwIfNoEntry: false })?.size ?? 0;
    },
    open(path) {
      let fd: number;
      try {
        fd = openSync(locate(path), "r");
      } catch (e) {
        throw new MkfsError(`couldn't stat file ${path}: ${(e as Error).message}`, 2, { cause: e });
      }
      return {
        size: fstatSync(fd).size,
        read: (position, target) => readFully(fd, target, position),
        close() {
          closeSync(fd);
        },
      };
    },
  };
}
