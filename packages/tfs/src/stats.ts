import { Tuple } from "@nanots/tuple";
import { SECTOR_SIZE } from "./constants.js";
import { TfsError } from "./tfs-error.js";
import { timestampToMs } from "./timestamp.js";

/** What a TFS entry is. */
export type EntryKind = "directory" | "file" | "symlink" | "other";

/**
 * The kind of an entry tuple, as Nanos decides it: `children` makes a directory, else
 * `linktarget` a symlink, else `extents` a regular file.
 */
export function kindOf(node: Tuple): EntryKind {
  if (node.get("children") instanceof Tuple) return "directory";
  if (node.has("linktarget")) return "symlink";
  if (node.has("extents")) return "file";
  return "other";
}

/**
 * File length in bytes (`filelength`; missing means 0).
 *
 * @throws {@link TfsError} when it is present but not a length (negative, text that is not a
 * number, or beyond 2^53).
 */
export function fileLength(node: Tuple): number {
  if (!node.has("filelength")) return 0;
  const n = node.getNumber("filelength");
  if (n === undefined || n < 0) throw new TfsError(`bad filelength ${String(node.get("filelength"))}`);
  return n;
}

const MODE: Record<EntryKind, number> = { directory: 0o040755, file: 0o100644, symlink: 0o120777, other: 0o100644 };

/** The kind predicates shared by {@link Stats} and {@link Dirent}, as Node names them. */
export abstract class EntryKindPredicates {
  /** The entry's kind. */
  abstract readonly kind: EntryKind;

  /** True for a regular file. */
  isFile(): boolean {
    return this.kind === "file";
  }

  /** True for a directory. */
  isDirectory(): boolean {
    return this.kind === "directory";
  }

  /** True for a symbolic link (from `lstat` or `readdir`). */
  isSymbolicLink(): boolean {
    return this.kind === "symlink";
  }
}

/** Metadata of an entry, shaped like Node's `fs.Stats`. */
export class Stats extends EntryKindPredicates {
  /** Size in bytes (files: `filelength`; symlinks: target length; directories: 0). */
  readonly size: number;
  /** POSIX mode bits (TFS stores none; these are the conventional defaults). */
  readonly mode: number;
  /** Hard link count (`nlink`, default 1). */
  readonly nlink: number;
  /** 512-byte blocks of data allocated. */
  readonly blocks: number;
  /** Preferred I/O size. */
  readonly blksize = SECTOR_SIZE;
  /** Last access, from `atime` (the epoch when absent, as for mkfs-made entries). */
  readonly atime: Date;
  /** Last modification, from `mtime`. */
  readonly mtime: Date;
  /** The entry's kind. */
  readonly kind: EntryKind;

  /** @internal */
  constructor(kind: EntryKind, size: number, blocks: number, node: Tuple) {
    super();
    this.kind = kind;
    this.size = size;
    this.blocks = blocks;
    this.mode = MODE[kind];
    this.nlink = node.getNumber("nlink") ?? 1;
    this.atime = dateOf(node, "atime");
    this.mtime = dateOf(node, "mtime");
  }
}

function dateOf(node: Tuple, name: string): Date {
  const t = node.getU64(name);
  return new Date(t === undefined ? 0 : timestampToMs(t));
}

/** A directory entry, shaped like Node's `fs.Dirent`. */
export class Dirent extends EntryKindPredicates {
  /** The entry's name. */
  readonly name: string;
  /** Its kind. */
  readonly kind: EntryKind;
  /** The directory it was read from. */
  readonly parentPath: string;

  /** @internal */
  constructor(name: string, kind: EntryKind, parentPath: string) {
    super();
    this.name = name;
    this.kind = kind;
    this.parentPath = parentPath;
  }
}
