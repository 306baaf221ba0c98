import { Tuple } from "@nanots/tuple";
import type { FileDescription } from "./file-description.js";

/** What a filesystem entry is, as `st_mode`'s file type says. */
export type VnodeKind = "directory" | "file" | "symlink" | "char";

/**
 * A filesystem entry as path resolution sees it: an entry of the TFS tree or a kernel-made
 * one (`/dev/null`, `/proc/self/exe`…). `identity` is the object inode numbers are keyed by.
 */
export interface Vnode {
  /** What it is. */
  /** What it is. */
  readonly kind: VnodeKind;
  /** The object its inode number is keyed by (the same entry reached twice has one identity). */
  readonly identity: object;
  /** True for entries the kernel makes (they live outside TFS and cannot be changed). */
  readonly virtual: boolean;
  /** The child called `name` of a directory. */
  lookup(name: string): Vnode | undefined;
  /** A directory's children, sorted by name. */
  children(): Array<[string, Vnode]>;
  /** A symlink's target. */
  linkTarget(): string;
}

const CHILDREN = "children";

function tupleKind(t: Tuple): VnodeKind {
  if (t.get(CHILDREN) instanceof Tuple) return "directory";
  if (t.has("linktarget")) return "symlink";
  return "file";
}

/** An entry of the TFS tree (its metadata tuple). */
export class TfsVnode implements Vnode {
  /** What it is. */
  readonly kind: VnodeKind;
  readonly virtual = false;
  /** The entry's tuple. */
  readonly tuple: Tuple;

  constructor(tuple: Tuple) {
    this.tuple = tuple;
    this.kind = tupleKind(tuple);
  }

  /** The object its inode number is keyed by. */
  get identity(): object {
    return this.tuple;
  }

  lookup(name: string): Vnode | undefined {
    const child = this.tuple.getTuple(CHILDREN)?.get(name);
    return child instanceof Tuple ? new TfsVnode(child) : undefined;
  }

  children(): Array<[string, Vnode]> {
    const out: Array<[string, Vnode]> = [];
    for (const [sym, value] of this.tuple.getTuple(CHILDREN) ?? []) if (value instanceof Tuple) out.push([sym.name, new TfsVnode(value)]);
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  linkTarget(): string {
    return this.tuple.get("linktarget")?.toString() ?? "";
  }
}

/** A kernel-made directory (`/dev`, `/proc`…); at the root it overlays the TFS root. */
export class VirtualDir implements Vnode {
  /** What it is. */
  readonly kind = "directory";
  readonly #entries = new Map<string, Vnode>();
  readonly #under: Vnode | undefined;

  /** @param under a directory whose entries show through where this one has none. */
  constructor(under?: Vnode) {
    this.#under = under;
  }

  /** The object its inode number is keyed by. */
  get identity(): object {
    return this.#under?.identity ?? this;
  }

  /** The directory it overlays, if any. */
  get under(): Vnode | undefined {
    return this.#under;
  }

  /** Kernel-made, unless it overlays a TFS directory (the root), where files can be made. */
  get virtual(): boolean {
    return this.#under === undefined;
  }

  /** Adds (or replaces) an entry. */
  add(name: string, node: Vnode): this {
    this.#entries.set(name, node);
    return this;
  }

  lookup(name: string): Vnode | undefined {
    return this.#entries.get(name) ?? this.#under?.lookup(name);
  }

  children(): Array<[string, Vnode]> {
    const merged = new Map(this.#under?.children());
    for (const [name, node] of this.#entries) merged.set(name, node);
    return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  linkTarget(): string {
    return "";
  }
}

/** A kernel-made entry that is not a directory: its own identity, no children. */
abstract class VirtualLeaf implements Vnode {
  /** What it is. */
  abstract readonly kind: VnodeKind;
  readonly virtual = true;

  /** The object its inode number is keyed by. */
  get identity(): object {
    return this;
  }

  lookup(): undefined {
    return undefined;
  }

  children(): [] {
    return [];
  }

  linkTarget(): string {
    return "";
  }
}

/** A kernel-made symlink whose target is computed when read (`/proc/self/exe`). */
export class VirtualLink extends VirtualLeaf {
  /** What it is. */
  readonly kind = "symlink";
  readonly #target: () => string;

  constructor(target: () => string) {
    super();
    this.#target = target;
  }

  /** The target, computed now. */
  override linkTarget(): string {
    return this.#target();
  }
}

/**
 * A kernel-made file or device: opening it asks `open` for a description (a generated text
 * file, `/dev/null`…). `kind` is `file` for generated text and `char` for devices.
 */
export class VirtualFile extends VirtualLeaf {
  /** What it is. */
  readonly kind: "file" | "char";
  /** `st_rdev` of a device (`makedev(major, minor)`), 0 for a file. */
  readonly rdev: number;
  /** Makes a fresh open-file description of it. */
  readonly open: (flags: number, path: string) => FileDescription;

  constructor(kind: "file" | "char", open: (flags: number, path: string) => FileDescription, rdev = 0) {
    super();
    this.kind = kind;
    this.open = open;
    this.rdev = rdev;
  }
}
