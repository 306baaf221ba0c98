import { fail } from "../linux-error.js";
import type { Vnode } from "./vnode.js";

/** One directory on a resolved path: its name in its parent ("" for the root) and the node. */
export interface PathFrame {
  /** The directory's name in its parent. */
  readonly name: string;
  /** The directory. */
  readonly node: Vnode;
}

/** Where a path leads. */
export interface Resolution {
  /** The directories from the root down to the entry's parent (the entry itself excluded). */
  readonly dirs: readonly PathFrame[];
  /** The last component ("" for the root itself). */
  readonly name: string;
  /** The entry, or undefined when only the last component is missing. */
  readonly node: Vnode | undefined;
  /** The path ended with `/` (the entry must be a directory). */
  readonly trailingSlash: boolean;
  /**
   * What the path's own last component is (Linux's "last type"): a name, `.`, `..`, or none
   * at all (`/`). Calls that create or remove an entry refuse the last three.
   */
  readonly last: "name" | "dot" | "dotdot" | "root";
}

/**
 * How the last component is looked up: `true` follows a symlink there (stat), `false` does
 * not unless the path ends in `/` (lstat, readlink), `"entry"` never does and leaves the
 * trailing-slash rules to the caller (mkdir, symlink, unlink, rmdir, rename: they act on the
 * entry itself, as Linux's parent-then-last-component lookups do).
 */
export type FollowLast = boolean | "entry";

/** Linux's limits: a path of at most 4095 bytes, names of at most 255, 40 symlinks per lookup. */
export const PATH_MAX = 4096;
/** The longest name of one path component, in bytes. */
export const NAME_MAX = 255;
/** Symlinks followed in one lookup before `ELOOP`. */
export const MAX_SYMLINKS = 40;

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** The absolute path of a resolution's entry, e.g. `/etc/passwd`. */
export function resolvedPath(r: Resolution): string {
  const names = r.dirs.slice(1).map((f) => f.name);
  if (r.name !== "") names.push(r.name);
  return `/${names.join("/")}`;
}

/** The absolute path of a directory stack. */
export function framesPath(frames: readonly PathFrame[]): string {
  return `/${frames.slice(1).map((f) => f.name).join("/")}`;
}

/**
 * Resolves `path` as Linux does: absolute from `root`, relative from `start` (the stack of the
 * directory it is relative to); `.` and `..` (never above the root); symlinks followed in
 * every component but the last, and in the last too when `followLast` or the path ends in `/`;
 * relative link targets from the link's directory.
 *
 * Throws `ENOENT` (empty path, missing directory on the way, empty link target), `ENOTDIR`
 * (a non-directory on the way, or before a trailing `/`), `ELOOP` (more than 40 links),
 * `ENAMETOOLONG` (path ≥ 4096 bytes or a name > 255 bytes).
 */
export function resolvePath(root: Vnode, start: readonly PathFrame[], path: string, followLast: FollowLast): Resolution {
  if (path === "") fail("ENOENT", "empty path");
  if (path.length >= PATH_MAX / 4 && utf8Length(path) >= PATH_MAX) fail("ENAMETOOLONG");
  let stack: PathFrame[] = path.startsWith("/") ? [{ name: "", node: root }] : [...start];
  const queue = path.split("/").filter((c) => c !== "");
  const finalName = queue[queue.length - 1];
  const lastKind = finalName === undefined ? "root" : finalName === "." ? "dot" : finalName === ".." ? "dotdot" : "name";
  const entry = followLast === "entry";
  const trailingSlash = path.endsWith("/");
  let links = 0;
  while (queue.length > 0) {
    const name = queue.shift()!;
    const last = queue.length === 0;
    if (name === "." || name === "..") {
      if (name === ".." && stack.length > 1) stack.pop();
      continue;
    }
    if (name.length > NAME_MAX / 4 && utf8Length(name) > NAME_MAX) fail("ENAMETOOLONG", `name of ${utf8Length(name)} bytes`);
    const dir = stack[stack.length - 1]!;
    const node = dir.node.lookup(name);
    if (node === undefined) {
      if (last) return { dirs: stack, name, node: undefined, trailingSlash, last: lastKind };
      fail("ENOENT", `no ${name} in ${framesPath(stack)}`);
    }
    if (node.kind === "symlink" && (!last || (!entry && (followLast || trailingSlash)))) {
      if (++links > MAX_SYMLINKS) fail("ELOOP");
      const target = node.linkTarget();
      if (target === "") fail("ENOENT", "empty symlink target");
      if (target.startsWith("/")) stack = [stack[0]!];
      const parts = target.split("/").filter((c) => c !== "");
      queue.unshift(...parts);
      continue;
    }
    if (last) {
      if (trailingSlash && !entry && node.kind !== "directory") fail("ENOTDIR");
      return { dirs: stack, name, node, trailingSlash, last: lastKind };
    }
    if (node.kind !== "directory") fail("ENOTDIR", `${name} is not a directory`);
    stack.push({ name, node });
  }
  // The path ended on a directory reached by `.`, `..`, `/` or a link to one.
  const top = stack[stack.length - 1]!;
  return { dirs: stack.slice(0, -1), name: top.name, node: top.node, trailingSlash, last: lastKind };
}
