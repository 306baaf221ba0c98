import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tuple } from "@nanots/tuple";
import { readLog } from "./log-reader.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { mkfs, MkfsError, parseSize } from "./mkfs.js";
import { nodeMkfsHost } from "./node/node-mkfs-host.js";
import { Tfs } from "./tfs.js";
import { fixturePath, fixtureText } from "./testing/fixtures.js";
import { fileHashes, sortBytes, toJson, treeLines } from "./testing/tree-listing.js";

const lines = (text: string): string[] => text.split("\n").filter((l) => l !== "");
const uuidOf = (name: string): Uint8Array => Buffer.from((JSON.parse(fixtureText(name, "meta.json")) as { uuid: string }).uuid, "hex");

/** meta.json's root without the parts that depend on Nanos's hash order (data placement). */
function withoutOffsets(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(withoutOffsets);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "offset" ? "*" : withoutOffsets(v)]));
}

describe.each(["small", "program"])("mkfs from fixture %s's manifest", (name) => {
  const labels: Record<string, string> = { program: "fixture-label" };
  const build = (): ReturnType<typeof mkfs> => {
    const device = new MemoryBlockDevice(2 ** 31);
    const tuples = name === "program" ? [Tuple.from({ cmdline_flag: "t" })] : [];
    return mkfs(device, fixtureText(name, "manifest.txt"), {
      label: labels[name] ?? "",
      uuid: uuidOf(name),
      tuples,
      host: nodeMkfsHost({ cwd: fixturePath(name, ".") }),
    });
  };
  const result = build();
  const fs = Tfs.mount(MemoryBlockDevice.from((result.fs.device as MemoryBlockDevice).toBytes()));

  it("prints exactly what Nanos mkfs printed (mkfs.out)", () => {
    expect(result.report).toBe(fixtureText(name, "mkfs.out"));
  });

  it("writes the same records as Nanos mkfs: count, dictionary size, entries", () => {
    const ours = readLog(result.fs.device);
    const theirs = readLog(MemoryBlockDevice.from(readFileSync(fixturePath(name, `${name}.img`))));
    expect([ours.records, ours.codec.dictionary.size, ours.codec.total]).toEqual([theirs.records, theirs.codec.dictionary.size, theirs.codec.total]);
  });

  it("sizes the image as Nanos does", () => {
    expect(result.imageBytes).toBe(statSync(fixturePath(name, `${name}.img`)).size);
  });

  it("reads back the files, tree and metadata Nanos's image holds", () => {
    expect(fileHashes(fs)).toEqual(sortBytes(lines(fixtureText(name, "files.sha256"))));
    expect(treeLines(fs)).toEqual(sortBytes(lines(fixtureText(name, "tree.txt"))));
    const meta = JSON.parse(fixtureText(name, "meta.json")) as { root: unknown };
    expect(withoutOffsets(toJson(fs.root))).toEqual(withoutOffsets(meta.root));
    expect(fs.label).toBe(labels[name] ?? "");
  });
});

describe("mkfs options", () => {
  it("-e makes a 1 MiB empty filesystem", () => {
    const r = mkfs(new MemoryBlockDevice(2 ** 31), "", { empty: true });
    expect(r.imageBytes).toBe(1024 * 1024);
    expect(r.fs.readdir("/")).toEqual([]);
  });

  it("-s sizes: 1M → 1.5 MiB, 3M → 3.5 MiB for an empty fs", () => {
    expect(mkfs(new MemoryBlockDevice(2 ** 31), "", { empty: true, size: parseSize("1M") }).imageBytes).toBe(1.5 * 1024 * 1024);
    expect(mkfs(new MemoryBlockDevice(2 ** 31), "", { empty: true, size: parseSize("3M") }).imageBytes).toBe(3.5 * 1024 * 1024);
  });

  it("parseSize follows strtoull base detection and suffixes", () => {
    expect(parseSize("010")).toBe(8);
    expect(parseSize("0x10k")).toBe(16 * 1024);
    expect(parseSize("2M")).toBe(2 * 1024 * 1024);
    expect(parseSize("1g")).toBe(1024 ** 3);
    expect(() => parseSize("0")).toThrow(MkfsError);
    expect(() => parseSize("12q")).toThrow(MkfsError);
  });

  it("rejects bad manifests with Nanos's exit codes", () => {
    const run = (m: string): number | undefined => {
      try {
        mkfs(new MemoryBlockDevice(2 ** 31), m, { host: { readFile: () => new Uint8Array(0) } });
      } catch (e) {
        if (e instanceof MkfsError) return e.exitCode;
        throw e;
      }
      return undefined;
    };
    expect(run("")).toBe(1);
    expect(run("(program:x)")).toBe(2);
    expect(run("(children:(a:(contents:x)))")).toBe(2);
    expect(run("(children:(a:(contents:(host:x))))")).toBeUndefined();
  });

  it("a missing host file is 'couldn't stat file', exit 2", () => {
    expect(() => mkfs(new MemoryBlockDevice(2 ** 31), "(children:(a:(contents:(host:/nonexistent/x))))", { host: nodeMkfsHost() })).toThrow(
      /couldn't stat file \/nonexistent\/x/,
    );
  });

  it("-t replaces top-level keys wholesale", () => {
    const r = mkfs(new MemoryBlockDevice(2 ** 31), "(children:() environment:(A:1 B:2))", { tuples: [Tuple.from({ environment: { C: "3" } })] });
    expect(toJson(r.fs.root)).toEqual({ children: {}, environment: { C: "3" } });
  });
});

describe("mkfs from the v4 fixture's manifest (written as v5)", () => {
  it("holds the same files and tree as the 0.1.46 image", () => {
    const device = new MemoryBlockDevice(2 ** 31);
    const { fs } = mkfs(device, fixtureText("v4", "manifest.txt"), { host: nodeMkfsHost({ cwd: fixturePath("v4", ".") }) });
    expect(fs.version).toBe(5);
    expect(fileHashes(fs)).toEqual(sortBytes(lines(fixtureText("v4", "files.sha256"))));
    expect(treeLines(fs)).toEqual(sortBytes(lines(fixtureText("v4", "tree.txt"))));
    expect(fs.root.getVector("arguments")).toEqual(["/script.sh", "one", "two words"]);
  });
});

describe("mkfs streams large files", () => {
  it("a 20 MiB file goes through open/read in chunks, with progress, into one extent", () => {
    const data = new Uint8Array(20 * 1024 * 1024 + 77);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
    let reads = 0;
    let closed = false;
    const host = {
      readFile: (): Uint8Array => {
        throw new Error("open() should be used");
      },
      size: () => data.length,
      open: () => ({
        size: data.length,
        read(position: number, target: Uint8Array): number {
          reads++;
          target.set(data.subarray(position, position + target.length));
          return Math.min(target.length, data.length - position);
        },
        close() {
          closed = true;
        },
      }),
    };
    const progress: number[] = [];
    const { fs } = mkfs(new MemoryBlockDevice(2 ** 31), "(children:(big:(contents:(host:big))))", { host, onProgress: (done) => progress.push(done) });
    expect(Buffer.from(fs.readFile("/big")).equals(data)).toBe(true);
    expect(reads).toBe(3);
    expect(closed).toBe(true);
    expect(progress[progress.length - 1]).toBe(data.length);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(fs.root.getTuple("children")!.getTuple("big")!.getTuple("extents")!.count).toBe(1);
  });
});
