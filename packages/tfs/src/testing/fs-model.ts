// Test support: a plain in-memory model of the filesystem semantics Tfs implements.
import type { FsErrorCode } from "../fs-error.js";

/** A model entry. */
export type ModelEntry = { kind: "dir" } | { kind: "file"; data: Uint8Array } | { kind: "symlink"; target: string };

/** Paths → entries; "/" is always a directory. No symlink is ever used as a parent. */
export class FsModel {
  entries = new Map<string, ModelEntry>([["/", { kind: "dir" }]]);

  clone(): FsModel {
    const m = new FsModel();
    m.entries = new Map([...this.entries].map(([p, e]) => [p, e.kind === "file" ? { kind: "file", data: e.data.slice() } : e]));
    return m;
  }

  /** Sorted listing: `path kind content`. */
  listing(): string[] {
    return [...this.entries]
      .map(([p, e]) => `${p} ${e.kind} ${e.kind === "file" ? Buffer.from(e.data).toString("hex") : e.kind === "symlink" ? e.target : ""}`)
      .sort();
  }

  #parentOk(path: string): FsErrorCode | undefined {
    // Walk the ancestors from the top: a missing one is ENOENT, a non-directory ENOTDIR.
    const parts = parentOf(path).split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = this.entries.get(`/${parts.slice(0, i).join("/")}`);
      if (p === undefined) return "ENOENT";
      if (p.kind !== "dir") return "ENOTDIR";
    }
    return undefined;
  }

  #fileAt(path: string, create: boolean): { kind: "file"; data: Uint8Array } | FsErrorCode {
    const bad = this.#parentOk(path);
    if (bad !== undefined) return bad;
    const e = this.entries.get(path);
    if (e === undefined) {
      if (!create) return "ENOENT";
      const f = { kind: "file" as const, data: new Uint8Array(0) };
      this.entries.set(path, f);
      return f;
    }
    if (e.kind === "dir") return "EISDIR";
    if (e.kind === "symlink") return "EINVAL"; // the pools never write through symlinks
    return e;
  }

  writeFile(path: string, data: Uint8Array): FsErrorCode | undefined {
    const f = this.#fileAt(path, true);
    if (typeof f === "string") return f;
    f.data = data.slice();
    return undefined;
  }

  write(path: string, data: Uint8Array, position: number): FsErrorCode | undefined {
    const f = this.#fileAt(path, true);
    if (typeof f === "string") return f;
    if (data.length === 0) return undefined;
    const end = position + data.length;
    if (end > f.data.length) {
      const grown = new Uint8Array(end);
      grown.set(f.data);
      f.data = grown;
    }
    f.data.set(data, position);
    return undefined;
  }

  truncate(path: string, length: number): FsErrorCode | undefined {
    const f = this.#fileAt(path, false);
    if (typeof f === "string") return f;
    const next = new Uint8Array(length);
    next.set(f.data.subarray(0, length));
    f.data = next;
    return undefined;
  }

  mkdir(path: string): FsErrorCode | undefined {
    const bad = this.#parentOk(path);
    if (bad !== undefined) return bad;
    if (this.entries.has(path)) return "EEXIST";
    this.entries.set(path, { kind: "dir" });
    return undefined;
  }

  symlink(target: string, path: string): FsErrorCode | undefined {
    const bad = this.#parentOk(path);
    if (bad !== undefined) return bad;
    if (this.entries.has(path)) return "EEXIST";
    this.entries.set(path, { kind: "symlink", target });
    return undefined;
  }

  rmdir(path: string): FsErrorCode | undefined {
    const bad = this.#parentOk(path);
    if (bad !== undefined) return bad;
    const e = this.entries.get(path);
    if (e === undefined) return "ENOENT";
    if (e.kind !== "dir") return "ENOTDIR";
    if ([...this.entries.keys()].some((p) => parentOf(p) === path && p !== path)) return "ENOTEMPTY";
    this.entries.delete(path);
    return undefined;
  }

  unlink(path: string): FsErrorCode | undefined {
    const bad = this.#parentOk(path);
    if (bad !== undefined) return bad;
    const e = this.entries.get(path);
    if (e === undefined) return "ENOENT";
    if (e.kind === "dir") return "EISDIR";
    this.entries.delete(path);
    return undefined;
  }

  rename(from: string, to: string): FsErrorCode | undefined {
    const bad = this.#parentOk(from);
    if (bad !== undefined) return bad;
    const src = this.entries.get(from);
    if (src === undefined) return "ENOENT";
    const badTo = this.#parentOk(to);
    if (badTo !== undefined) return badTo;
    if (from === to) return undefined;
    if (src.kind === "dir" && to.startsWith(`${from}/`)) return "EINVAL";
    const dst = this.entries.get(to);
    if (dst !== undefined) {
      if (src.kind === "dir" && dst.kind !== "dir") return "ENOTDIR";
      if (src.kind !== "dir" && dst.kind === "dir") return "EISDIR";
      if (dst.kind === "dir" && [...this.entries.keys()].some((p) => p !== to && p.startsWith(`${to}/`))) return "ENOTEMPTY";
    }
    const moved = [...this.entries].filter(([p]) => p === from || p.startsWith(`${from}/`));
    for (const [p] of moved) this.entries.delete(p);
    this.entries.delete(to);
    for (const [p, e] of moved) this.entries.set(to + p.slice(from.length), e);
    return undefined;
  }
}

/** The parent directory of an absolute path. */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}
