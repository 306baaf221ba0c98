import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { mkfs } from "./mkfs.js";
import { Tfs } from "./tfs.js";

type Tree = { [name: string]: Tree | Uint8Array | { link: string } };

const name = fc.stringMatching(/^[a-zA-Z0-9 ._é✓-]{1,12}$/).filter((n) => n !== "." && n !== "..");
const leaf = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.record({ link: fc.stringMatching(/^[a-z/.]{1,10}$/) }) },
);
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.dictionary(name, fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("tree")), { maxKeys: 5 }),
})).tree;

/** The manifest for a tree; file contents come from host paths `h<n>`. */
function manifestOf(t: Tree, files: Map<string, Uint8Array>): string {
  const quote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const entries = Object.entries(t).map(([n, v]) => {
    if (v instanceof Uint8Array) {
      const host = `h${files.size}`;
      files.set(host, v);
      return `${quote(n)}:(contents:(host:${host}))`;
    }
    if ("link" in v && typeof v.link === "string") return `${quote(n)}:(linktarget:${quote(v.link)})`;
    return `${quote(n)}:${manifestOf(v as Tree, files)}`;
  });
  return `(children:(${entries.join(" ")}))`;
}

function expectTree(fs: Tfs, dir: string, t: Tree): void {
  expect(fs.readdir(dir).sort()).toEqual(Object.keys(t).sort());
  for (const [n, v] of Object.entries(t)) {
    const p = dir === "/" ? `/${n}` : `${dir}/${n}`;
    if (v instanceof Uint8Array) expect(fs.readFile(p)).toEqual(v);
    else if ("link" in v && typeof v.link === "string") expect(fs.readlink(p)).toBe(v.link);
    else expectTree(fs, p, v as Tree);
  }
}

describe("mkfs of random trees", () => {
  it("reads back identically through a fresh mount of the image", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const files = new Map<string, Uint8Array>();
        const text = manifestOf(t, files);
        const device = new MemoryBlockDevice(2 ** 31);
        mkfs(device, text, { host: { readFile: (p) => files.get(p)! } });
        expectTree(Tfs.mount(MemoryBlockDevice.from(device.toBytes()), { readOnly: true }), "/", t);
      }),
      { numRuns: 60 },
    );
  });
});
