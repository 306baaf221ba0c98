import { intern, Tuple } from "@nanots/tuple";
import { FsError } from "./fs-error.js";
import { kindOf } from "./stats.js";

/** Linux's limit on symlinks followed while resolving one path. */
const MAX_SYMLINKS = 40;
const CHILDREN = intern("children");
const LINKTARGET = intern("linktarget");

/** Where a path leads. */
export interface Resolved {
  /** The entry, or undefined when only the last component is missing. */
  node: Tuple | undefined;
  /** The directory holding it (undefined for the root). */
  parent: Tuple | undefined;
  /** The last component. */
  name: string;
  /** The directories from the root down to, not including, `parent` (for rename's cycle check). */
  ancestors: Tuple[];
}

/** Path components, without empty ones and `.`. */
export function pathComponents(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

/**
 * Resolves an absolute (or root-relative) path in the tree under `root`: `..` goes up (not
 * above the root), symlinks are followed in every component but the last, and in the last too
 * when `followLast`; relative link targets resolve from the link's directory.
 *
 * @throws {@link FsError} `ENOENT` for a missing directory on the way, `ENOTDIR` for a
 * non-directory on the way, `ELOOP` after 40 links, `EINVAL` for a path with NUL.
 */
export function resolvePath(root: Tuple, path: string, syscall: string, followLast: boolean): Resolved {
  if (typeof path !== "string" || path.includes("\0")) throw new FsError("EINVAL", syscall, String(path));
  const queue = pathComponents(path);
  const stack: Tuple[] = [root];
  let links = 0;
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === "..") {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const dir = stack[stack.length - 1]!;
    const children = dir.get(CHILDREN);
    if (!(children instanceof Tuple)) throw new FsError("ENOTDIR", syscall, path);
    const child = children.get(name);
    const last = queue.length === 0;
    if (!(child instanceof Tuple)) {
      if (last) return { node: undefined, parent: dir, name, ancestors: stack.slice(0, -1) };
      throw new FsError("ENOENT", syscall, path);
    }
    const kind = kindOf(child);
    if (kind === "symlink" && (!last || followLast)) {
      if (++links > MAX_SYMLINKS) throw new FsError("ELOOP", syscall, path);
      const target = child.get(LINKTARGET)!.toString();
      if (target.startsWith("/")) stack.length = 1;
      queue.unshift(...pathComponents(target));
      continue;
    }
    if (last) return { node: child, parent: dir, name, ancestors: stack.slice(0, -1) };
    if (kind !== "directory") throw new FsError("ENOTDIR", syscall, path);
    stack.push(child);
  }
  const node = stack[stack.length - 1]!;
  return stack.length === 1
    ? { node, parent: undefined, name: "", ancestors: [] }
    : { node, parent: stack[stack.length - 2], name: nameIn(stack[stack.length - 2]!, node), ancestors: stack.slice(0, -2) };
}

function nameIn(dir: Tuple, node: Tuple): string {
  return (dir.get(CHILDREN) as Tuple).symbolOf(node)?.name ?? "";
}
