import { closeSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { OpenFlag } from "../linux-constants.js";
import { decodeDirents64 } from "../structs/dirent64.js";
import { errnoCode, hostCode } from "../test-machine.js";
import { Vfs } from "./vfs.js";

const NAMES = ["a", "b", "c"];
/** Paths that never climb above where they start (the host's `..` would leave the scratch tree). */
const path = fc
  .tuple(fc.array(fc.constantFrom("a", "b", "c", ".", ".."), { minLength: 1, maxLength: 3 }), fc.boolean())
  .filter(([parts]) => {
    let depth = 0;
    return parts.every((p) => (depth += p === ".." ? -1 : p === "." ? 0 : 1) >= 0);
  })
  .map(([parts, slash]) => parts.join("/") + (slash ? "/" : ""));
const target = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).map((p) => p.join("/"));

type Op =
  | { op: "mkdir" | "rmdir" | "unlink" | "create"; path: string }
  | { op: "rename" | "link"; from: string; to: string }
  | { op: "symlink"; target: string; path: string }
  | { op: "open"; path: string; flags: number };
const { O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_APPEND, O_PATH } = OpenFlag;
const openFlags = fc
  .tuple(fc.constantFrom(0, 1, 2), fc.subarray([O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_APPEND, O_PATH]))
  .map(([mode, bits]) => bits.reduce((f: number, b: number) => f | b, mode));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("open" as const), path, flags: openFlags }),
  fc.record({ op: fc.constantFrom("mkdir" as const, "rmdir" as const, "unlink" as const, "create" as const), path }),
  fc.record({ op: fc.constantFrom("rename" as const, "link" as const), from: path, to: path }),
  fc.record({ op: fc.constant("symlink" as const), target, path }),
);


function hostTree(dir: string, prefix = ""): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return [`${prefix}${name} -> ${readlinkSync(p)}`];
    if (st.isDirectory()) return [`${prefix}${name}/`, ...hostTree(p, `${prefix}${name}/`)];
    return [`${prefix}${name} (${st.nlink} links)`];
  });
}

function tfsTree(fs: Tfs, dir = "", prefix = ""): string[] {
  return fs.readdir(dir === "" ? "/" : dir, { withFileTypes: true }).flatMap((d) => {
    const p = `${dir}/${d.name}`;
    if (d.isSymbolicLink()) return [`${prefix}${d.name} -> ${fs.readlink(p)}`];
    if (d.isDirectory()) return [`${prefix}${d.name}/`, ...tfsTree(fs, p, `${prefix}${d.name}/`)];
    return [`${prefix}${d.name} (${fs.lstat(p).nlink} links)`];
  });
}

const scratch = mkdtempSync(join(tmpdir(), "nanots-changes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

// Differential: the same changes made by the host's Linux kernel in a scratch directory.
describe("directory changes match Linux", () => {
  it("mkdir, rmdir, unlink, rename, link, symlink, open with any flags: same errors, same tree and link counts", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const root = join(scratch, String(runs++));
        mkdirSync(root);
        const fs = Tfs.format(new MemoryBlockDevice(8 * 2 ** 20));
        const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n) });
        const host = (p: string) => `${root}/${p}`;
        for (const o of ops) {
          let ours: string;
          let theirs: string;
          switch (o.op) {
            case "mkdir":
              ours = errnoCode(() => vfs.mkdir("/", `/${o.path}`));
              theirs = hostCode(() => mkdirSync(host(o.path)));
              break;
            case "rmdir":
              ours = errnoCode(() => vfs.rmdir("/", `/${o.path}`));
              theirs = hostCode(() => rmdirSync(host(o.path)));
              break;
            case "unlink":
              ours = errnoCode(() => vfs.unlink("/", `/${o.path}`));
              theirs = hostCode(() => unlinkSync(host(o.path)));
              break;
            case "create":
              ours = errnoCode(() => vfs.open("/", `/${o.path}`, OpenFlag.O_CREAT | OpenFlag.O_EXCL | 1).close());
              theirs = hostCode(() => closeSync(openSync(host(o.path), "wx")));
              break;
            case "rename":
              ours = errnoCode(() => vfs.rename("/", `/${o.from}`, "/", `/${o.to}`));
              theirs = hostCode(() => renameSync(host(o.from), host(o.to)));
              break;
            case "link":
              ours = errnoCode(() => vfs.link("/", `/${o.from}`, "/", `/${o.to}`, false));
              theirs = hostCode(() => linkSync(host(o.from), host(o.to)));
              break;
            case "open":
              ours = errnoCode(() => vfs.open("/", `/${o.path}`, o.flags).close());
              theirs = hostCode(() => closeSync(openSync(host(o.path), o.flags)));
              break;
            case "symlink":
              ours = errnoCode(() => vfs.symlink(o.target, "/", `/${o.path}`));
              theirs = hostCode(() => symlinkSync(o.target, host(o.path)));
              break;
          }
          expect(`${JSON.stringify(o)}: ${ours}`).toBe(`${JSON.stringify(o)}: ${theirs}`);
          expect(tfsTree(fs)).toEqual(hostTree(root));
          // getdents64 of the root lists what the host's readdir does, with the same d_type.
          const listed = decodeDirents64(vfs.open("/", "/", 0).getdents64(1 << 16))
            .filter((d) => d.name !== "." && d.name !== ".." && !["dev", "proc", "sys"].includes(d.name))
            .map((d) => `${d.name}:${d.type}`);
          const hostListed = readdirSync(root, { withFileTypes: true })
            .map((d) => `${d.name}:${d.isDirectory() ? 4 : d.isSymbolicLink() ? 10 : 8}`)
            .sort();
          expect(listed).toEqual(hostListed);
        }
      }),
      { numRuns: 200 },
    );
  });
});
