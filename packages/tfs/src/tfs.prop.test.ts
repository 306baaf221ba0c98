import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FsError } from "./fs-error.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { Tfs } from "./tfs.js";
import { FsModel } from "./testing/fs-model.js";

const PATHS = ["/a", "/b", "/a/c", "/a/d", "/b/c", "/a/c/e", "/f"];
const LINKS = ["/l", "/a/m"];

type Op =
  | { op: "writeFile"; path: string; data: Uint8Array }
  | { op: "write"; path: string; data: Uint8Array; position: number }
  | { op: "truncate"; path: string; length: number }
  | { op: "mkdir" | "rmdir" | "unlink"; path: string }
  | { op: "rename"; from: string; to: string }
  | { op: "symlink"; target: string; path: string }
  | { op: "churn"; path: string }
  | { op: "sync" | "remount" | "crash" };

const path = fc.constantFrom(...PATHS);
const data = fc.uint8Array({ maxLength: 2500 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("writeFile" as const), path, data }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("write" as const), path, data, position: fc.nat(6000) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("truncate" as const), path, length: fc.nat(7000) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom("mkdir" as const, "rmdir" as const, "unlink" as const), path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rename" as const), from: path, to: path }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("symlink" as const), target: fc.constantFrom("a", "/f", "../x"), path: fc.constantFrom(...LINKS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("churn" as const), path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom("sync" as const, "remount" as const, "crash" as const) }) },
);

/** The whole tree as the model lists it. */
function listing(fs: Tfs): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    out.push(`${dir} dir `);
    for (const d of fs.readdir(dir, { withFileTypes: true })) {
      const p = dir === "/" ? `/${d.name}` : `${dir}/${d.name}`;
      if (d.isDirectory()) visit(p);
      else if (d.isSymbolicLink()) out.push(`${p} symlink ${fs.readlink(p)}`);
      else out.push(`${p} file ${Buffer.from(fs.readFile(p)).toString("hex")}`);
    }
  };
  visit("/");
  return out.sort();
}

function attempt(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
}

/**
 * Runs a tree operation on the model and on the filesystem; returns the model's error code and
 * the filesystem's (undefined = success), or undefined for the sync/remount/crash/churn ops.
 */
function step(fs: Tfs, model: FsModel, o: Op): [string | undefined, string | undefined] | undefined {
  switch (o.op) {
    case "writeFile":
      return [model.writeFile(o.path, o.data), attempt(() => fs.writeFile(o.path, o.data))];
    case "write":
      return [model.write(o.path, o.data, o.position), attempt(() => fs.write(o.path, o.data, o.position))];
    case "truncate":
      return [model.truncate(o.path, o.length), attempt(() => fs.truncate(o.path, o.length))];
    case "mkdir":
    case "rmdir":
    case "unlink":
      return [model[o.op](o.path), attempt(() => fs[o.op](o.path))];
    case "rename":
      return [model.rename(o.from, o.to), attempt(() => fs.rename(o.from, o.to))];
    case "symlink":
      return [model.symlink(o.target, o.path), attempt(() => fs.symlink(o.target, o.path))];
    default:
      return undefined;
  }
}

describe("Tfs against an in-memory model", () => {
  it("random operation sequences, syncs, remounts and crashes agree with the model", () => {
    let compacted = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 60, size: "medium" }), (ops) => {
        const device = new MemoryBlockDevice(32768);
        let fs = Tfs.format(device);
        fs.sync();
        let model = new FsModel();
        let synced = model.clone();
        for (const o of ops) {
          const outcome = step(fs, model, o);
          switch (o.op) {
            case "churn":
              // Thousands of overwritten entries, so that compaction kicks in.
              if (model.entries.get(o.path)?.kind === "file") {
                const length = fs.stat(o.path).size;
                for (let i = 0; i < 9000; i++) fs.truncate(o.path, length);
              }
              break;
            case "sync":
              fs.sync();
              synced = model.clone();
              break;
            case "remount":
              fs.sync();
              synced = model.clone();
              fs = Tfs.mount(device);
              break;
            case "crash":
              fs = Tfs.mount(device);
              model = synced.clone();
              break;
            default:
              break;
          }
          const [expected, actual] = outcome ?? [undefined, undefined];
          expect(actual, `${JSON.stringify({ ...o, data: undefined })}`).toBe(expected);
          expect(listing(fs)).toEqual(model.listing());
        }
        fs.sync();
        expect(listing(Tfs.mount(device))).toEqual(model.listing());
        if (fs.logExtensions[1]!.start !== 1) compacted++;
      }),
      { numRuns: 60 },
    );
    // The churn operations must have made some runs compact the log.
    expect(compacted).toBeGreaterThan(0);
  });
});

describe("every operation reads back through a fresh mount", () => {
  it("after each synced operation, a read-only mount of the device lists the model's tree", () => {
    const plainOps = opArb.filter((o) => o.op !== "churn" && o.op !== "crash" && o.op !== "remount");
    fc.assert(
      fc.property(fc.array(plainOps, { maxLength: 30 }), (ops) => {
        const device = new MemoryBlockDevice(32768);
        const fs = Tfs.format(device);
        const model = new FsModel();
        for (const o of ops) {
          const [expected, actual] = step(fs, model, o) ?? [undefined, undefined];
          expect(actual).toBe(expected);
          fs.sync();
          expect(listing(Tfs.mount(device, { readOnly: true }))).toEqual(model.listing());
        }
      }),
      { numRuns: 30 },
    );
  });
});
