// Test support: a mounted tree in the fixtures' tree.txt / files.sha256 / meta.json forms.
import { createHash } from "node:crypto";
import { ByteString, NULL_VALUE, Tuple, type Value } from "@nanots/tuple";
import type { Tfs } from "../tfs.js";

/** Every path under `dir` (depth first), with `dir` itself. */
export function walk(fs: Tfs, dir = "/"): string[] {
  const out = [dir];
  for (const d of fs.readdir(dir, { withFileTypes: true })) {
    const path = dir === "/" ? `/${d.name}` : `${dir}/${d.name}`;
    if (d.isDirectory()) out.push(...walk(fs, path));
    else out.push(path);
  }
  return out;
}

/** Lines as in tree.txt: `dir /a`, `file /a/b`, `symlink /l -> target`, sorted by bytes. */
export function treeLines(fs: Tfs): string[] {
  return sortBytes(
    walk(fs).map((p) => {
      const s = fs.lstat(p);
      if (s.isDirectory()) return `dir ${p}`;
      if (s.isSymbolicLink()) return `symlink ${p} -> ${fs.readlink(p)}`;
      return `${s.isFile() ? "file" : "other"} ${p}`;
    }),
  );
}

/** Lines as in files.sha256: path, size and sha256 of every regular file, sorted by bytes. */
export function fileHashes(fs: Tfs): string[] {
  return sortBytes(
    walk(fs)
      .filter((p) => fs.lstat(p).isFile())
      .map((p) => {
        const data = fs.readFile(p);
        return `${p}\t${data.length}\t${createHash("sha256").update(data).digest("hex")}`;
      }),
  );
}

/** Sorts strings by their UTF-8 bytes. */
export function sortBytes(lines: string[]): string[] {
  return lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** A value in the fixtures' meta.json form (untyped buffers as {"$untyped": text}). */
export function toJson(value: Value | undefined): unknown {
  if (value instanceof Tuple) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k.name] = toJson(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof ByteString) return value.untyped ? { $untyped: value.toString() } : value.toString();
  if (value === NULL_VALUE) return null;
  if (typeof value === "bigint") return Number(value);
  return value;
}
