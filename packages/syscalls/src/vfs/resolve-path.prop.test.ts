import { lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { errnoCode, hostCode } from "../test-machine.js";
import { resolvedPath } from "./resolve-path.js";
import { Vfs } from "./vfs.js";

type Node = { dir: Record<string, Node> } | { file: true } | { link: string };

const NAMES = ["a", "b", "c"];
const component = fc.constantFrom("a", "b", "c", ".", "..");
// Link targets only go down (no `.`, no `..`): then a path never climbs higher than its text
// says, so a query that stays inside the tree lexically stays inside it on the host too
// (whose `..` would leave the scratch directory, where the VFS stops at its root).
const linkTarget = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 }).map((c) => c.join("/"));
const tree: fc.Arbitrary<Record<string, Node>> = fc.letrec<{ dir: Record<string, Node>; node: Node }>((tie) => ({
  dir: fc.dictionary(fc.constantFrom(...NAMES), tie("node"), { maxKeys: 3 }),
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.constant<Node>({ file: true }), linkTarget.map<Node>((link) => ({ link })), tie("dir").map<Node>((dir) => ({ dir: dir as Record<string, Node> }))),
})).dir as fc.Arbitrary<Record<string, Node>>;

const scratch = mkdtempSync(join(tmpdir(), "nanots-resolve-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

function build(entries: Record<string, Node>, fs: Tfs, host: string, at: string): void {
  for (const [name, node] of Object.entries(entries)) {
    const p = `${at}/${name}`;
    if ("dir" in node) {
      fs.mkdir(p);
      mkdirSync(join(host, p));
      build(node.dir, fs, host, p);
    } else if ("file" in node) {
      fs.writeFile(p, name);
      writeFileSync(join(host, p), name);
    } else {
      fs.symlink(node.link, p);
      symlinkSync(node.link, join(host, p));
    }
  }
}

const KINDS: Record<number, string> = { 0o040000: "dir", 0o100000: "file", 0o120000: "link" };

/** What lstat says: the entry's kind, or the error code. */
function lstatKind(f: () => { mode: number }): string {
  let mode: number;
  try {
    mode = f().mode;
  } catch (e) {
    return (e as { code?: string }).code ?? "?"; // Node's errors and LinuxError both carry the errno name
  }
  return KINDS[mode & 0o170000] ?? "other";
}


// Differential: the same tree on the host's filesystem, resolved by the Linux kernel.
describe("path resolution matches Linux", () => {
  it("for random trees of directories, files and relative symlinks, and random paths", () => {
    fc.assert(
      fc.property(tree, fc.array(fc.tuple(fc.array(component, { minLength: 1, maxLength: 6 }), fc.boolean()), { minLength: 1, maxLength: 8 }), (entries, queries) => {
        const root = join(scratch, String(runs++));
        mkdirSync(root);
        const fs = Tfs.format(new MemoryBlockDevice(8 * 2 ** 20));
        build(entries, fs, root, "");
        const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n) });
        const hostRoot = realpathSync.native(root);
        for (const [parts, slash] of queries) {
          const path = parts.join("/") + (slash ? "/" : "");
          const host = `${root}/${path}`; // not path.join: it would fold `..` lexically
          // `..` above the root leaves the tree on the host (Linux stops only at its real root): skip those.
          let depth = 0;
          if (parts.some((p) => (depth += p === ".." ? -1 : p === "." ? 0 : 1) < 0)) continue;
          // lstat: the last component is not followed (unless the path ends in `/`).
          expect(`lstat ${path}: ${lstatKind(() => vfs.stat("/", `/${path}`, false))}`).toBe(`lstat ${path}: ${lstatKind(() => lstatSync(host))}`);
          const hostResult = hostCode(() => statSync(host));
          if (hostResult === "ok") {
            const real = realpathSync.native(host); // libc realpath: the JS one folds `..` lexically
            const r = vfs.resolve("/", `/${path}`, true);
            expect(`${path}: ${resolvedPath(r)}`).toBe(`${path}: /${relative(hostRoot, real)}`);
          } else {
            expect(`${path}: ${errnoCode(() => vfs.stat("/", `/${path}`, true))}`).toBe(`${path}: ${hostResult}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
