import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FsError } from "./fs-error.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { Tfs } from "./tfs.js";
import { JournalDevice } from "./testing/journal-device.js";

type Op =
  | { op: "writeFile"; path: string; size: number }
  | { op: "append"; path: string; size: number }
  | { op: "unlink" | "mkdir"; path: string }
  | { op: "rename"; from: string; to: string }
  | { op: "churn"; path: string }
  | { op: "bulk"; tag: number }
  | { op: "sync" };

const path = fc.constantFrom("/a", "/b", "/d", "/d/x", "/d/y");
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("writeFile" as const), path, size: fc.nat(5000) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("append" as const), path, size: fc.nat(3000) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom("unlink" as const, "mkdir" as const), path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rename" as const), from: path, to: path }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("churn" as const), path }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("bulk" as const), tag: fc.nat(1000) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("sync" as const) }) },
);

/** The tree with file hashes, as one comparable string. */
function state(fs: Tfs): string {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const d of fs.readdir(dir, { withFileTypes: true })) {
      const p = dir === "/" ? `/${d.name}` : `${dir}/${d.name}`;
      if (d.isDirectory()) {
        out.push(`${p}/`);
        visit(p);
      } else {
        out.push(`${p}=${Buffer.from(fs.readFile(p)).toString("base64")}`);
      }
    }
  };
  visit("/");
  return out.join("\n");
}

let counter = 0;
const content = (size: number): Uint8Array => {
  const tag = ++counter;
  return Uint8Array.from({ length: size }, (_, i) => (i * 13 + tag) & 0xff);
};

function apply(fs: Tfs, o: Op): void {
  try {
    switch (o.op) {
      case "writeFile":
        fs.writeFile(o.path, content(o.size));
        break;
      case "append":
        fs.appendFile(o.path, content(o.size));
        break;
      case "unlink":
        fs.unlink(o.path);
        break;
      case "mkdir":
        fs.mkdir(o.path);
        break;
      case "rename":
        fs.rename(o.from, o.to);
        break;
      case "churn":
        if (fs.lstat(o.path).isFile()) {
          const size = fs.stat(o.path).size;
          for (let i = 0; i < 9000; i++) fs.truncate(o.path, size);
        }
        break;
      case "bulk":
        // ~300 KiB of metadata: enough, twice, to fill a log extension and link the next one.
        for (let i = 0; i < 200; i++) fs.writeFile(`/bulk-${o.tag}-${i}-${"n".repeat(1400)}`, "");
        break;
      case "sync":
        break;
    }
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
  }
}

describe("crash safety", () => {
  it("a crash at any write, with any subset of the unflushed sectors landing (some torn), leaves the state of a completed sync", () => {
    const base = new MemoryBlockDevice(8192);
    Tfs.format(base).sync();
    const baseImage = base.toBytes();
    let compactions = 0;
    let links = 0;

    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 8, maxLength: 8 }), (ops, cuts) => {
        const device = new JournalDevice(baseImage);
        const fs = Tfs.mount(device);
        // states[i] = state after the i-th sync returned; syncEnds[i] = journal length then.
        const states = [state(fs)];
        const syncEnds = [0];
        for (const o of [...ops, { op: "sync" } as Op]) {
          apply(fs, o);
          if (o.op === "sync") {
            const before = fs.logExtensions[1]!.start;
            fs.sync();
            if (fs.logExtensions[1]!.start !== before) compactions++;
            if (fs.logExtensions.length > 2) links++;
            states.push(state(fs));
            syncEnds.push(device.journal.length);
          }
        }
        const total = device.journal.length;
        for (const [cutSeed, subsetSeed] of [...cuts, [total, 0] as [number, number]]) {
          const cut = cutSeed % (total + 1);
          // Any unflushed sector may be torn at any byte, except sector 0: rewriting it is how
          // a compaction switches logs, which relies on sector-atomic writes (as Nanos does).
          const image = device.crashImage(
            cut,
            (i) => ((i * 2654435761 + subsetSeed) >>> 7) % 2 === 0,
            (i) => {
              const e = device.journal[i];
              if (e === "flush" || e === undefined || e.sector === 0 || ((i * 40503 + subsetSeed) >>> 5) % 3 !== 0) return undefined;
              return (i * 7919 + subsetSeed) % 512;
            },
          );
          // The last sync that had returned before the cut; the one in flight may also have landed.
          let returned = 0;
          while (returned + 1 < syncEnds.length && syncEnds[returned + 1]! <= cut) returned++;
          const got = state(Tfs.mount(image));
          const allowed = states.slice(returned, returned + 2);
          expect(allowed, `cut ${cut}/${total}`).toContain(got);
        }
      }),
      { numRuns: 80 },
    );
    expect(compactions).toBeGreaterThan(0);
    expect(links).toBeGreaterThan(0);
  });
});
