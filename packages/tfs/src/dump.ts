import { cloneValue, printValue, Tuple } from "@nanots/tuple";
import { formatUuid } from "./log-header.js";
import { kindOf } from "./stats.js";
import type { Tfs } from "./tfs.js";

/** What `dump` prints first for a version-4 filesystem. */
export const V4_WARNING = "WARNING: old version of TFS found (4); please upgrade ops/mkfs";

/**
 * The output of Nanos `dump IMAGE`: `Label:`, `UUID:`, `metadata` and the root tuple printed as
 * Nanos prints it, with the in-memory `..` links (`..:<visited>`) that Nanos adds to every
 * directory. Version-4 images get the upgrade warning first.
 */
export function dumpMetadata(fs: Tfs): string {
  return `${identityLines(fs)}metadata\n${printValue(withParentLinks(fs.root), { indent: 0 })}\n`;
}

/**
 * The output of Nanos `dump -t IMAGE`: one line per entry, `|   ` per level, names colored as
 * Nanos colors them (blue directories, cyan symlinks with `-> target`, white others). Nanos
 * prints children in hash order, which varies between runs; this prints them sorted by name.
 */
export function dumpTree(fs: Tfs, options: { color?: boolean } = {}): string {
  const color = options.color !== false;
  const paint = (code: number, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  const stack: Array<{ node: Tuple; name: string; depth: number }> = [{ node: fs.root, name: "/", depth: 0 }];
  while (stack.length > 0) {
    const { node, name, depth } = stack.pop()!;
    const prefix = "|   ".repeat(depth);
    const kind = kindOf(node);
    if (kind === "directory") {
      lines.push(prefix + paint(94, name));
      const children = [...(node.get("children") as Tuple)].filter((e): e is [(typeof e)[0], Tuple] => e[1] instanceof Tuple);
      children.sort((a, b) => (a[0].name < b[0].name ? 1 : a[0].name > b[0].name ? -1 : 0));
      for (const [sym, child] of children) stack.push({ node: child, name: sym.name, depth: depth + 1 });
    } else if (kind === "symlink") {
      lines.push(`${prefix}${paint(96, name)} -> ${node.get("linktarget")!.toString()}`);
    } else {
      lines.push(prefix + paint(97, name));
    }
  }
  return `${identityLines(fs)}${lines.join("\n")}\n`;
}

function identityLines(fs: Tfs): string {
  const warning = fs.version === 4 ? `${V4_WARNING}\n` : "";
  return `${warning}Label: ${fs.label}\nUUID: ${formatUuid(fs.uuid)}\n`;
}

/** A copy of the tree where every directory has `..` → its parent (the root's is itself). */
function withParentLinks(root: Tuple): Tuple {
  const copy = cloneValue(root) as Tuple;
  const seen = new Set<Tuple>();
  const stack: Array<[Tuple, Tuple]> = [[copy, copy]];
  while (stack.length > 0) {
    const [dir, parent] = stack.pop()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    dir.set("..", parent);
    for (const [, child] of dir.get("children") as Tuple) {
      if (child instanceof Tuple && kindOf(child) === "directory") stack.push([child, dir]);
    }
  }
  return copy;
}
