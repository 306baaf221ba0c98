import { describe, expect, it } from "vitest";
import { Tuple, TupleCodec } from "@nanots/tuple";
import { dumpMetadata, dumpTree } from "./dump.js";
import { LogWriter } from "./log-writer.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { Tfs } from "./tfs.js";
import { fixtureImage, fixtureNames, fixtureText } from "./testing/fixtures.js";
import { fileHashes, sortBytes, toJson, treeLines } from "./testing/tree-listing.js";

const lines = (text: string): string[] => text.split("\n").filter((l) => l !== "");

/** dump -t output as a set of (depth, line) per parent path, so hash order does not matter. */
function treeShape(text: string): string[] {
  const out: string[] = [];
  const path: string[] = [];
  for (const line of lines(text)) {
    const m = /^((?:\|   )*)(.*)$/.exec(line)!;
    const depth = m[1]!.length / 4;
    path.length = depth;
    out.push(`${path.join("\u0000")}\u0001${m[2]}`);
    path.push(m[2]!);
  }
  return sortBytes(out);
}

describe.each(fixtureNames())("fixture %s mounts as Nanos made it", (name) => {
  const fs = Tfs.mount(MemoryBlockDevice.from(fixtureImage(name)), { readOnly: true });

  it("every file's size and sha256 match files.sha256", () => {
    expect(fileHashes(fs)).toEqual(sortBytes(lines(fixtureText(name, "files.sha256"))));
  });

  it("the tree matches tree.txt", () => {
    expect(treeLines(fs)).toEqual(sortBytes(lines(fixtureText(name, "tree.txt"))));
  });

  it("the root tuple and log chain match meta.json", () => {
    const meta = JSON.parse(fixtureText(name, "meta.json")) as { root: unknown; extensions: number[][] };
    expect(toJson(fs.root)).toEqual(meta.root);
    expect(fs.logExtensions.map((e) => [e.start, e.sectors, e.version])).toEqual(meta.extensions);
  });

  it("dump prints exactly dump.txt", () => {
    expect(dumpMetadata(fs)).toBe(fixtureText(name, "dump.txt"));
  });

  it("dump -t prints the tree of dump-t.txt (up to Nanos's hash order of siblings)", () => {
    const ours = dumpTree(fs);
    const theirs = fixtureText(name, "dump-t.txt");
    expect(treeShape(ours)).toEqual(treeShape(theirs));
    expect(lines(ours).slice(0, 3)).toEqual(lines(theirs).slice(0, 3));
  });
});

describe.each(fixtureNames())("fixture %s accepts changes and remounts", (name) => {
  it("writes, deletes and renames on a Nanos-made image read back after a remount", () => {
    const device = MemoryBlockDevice.from(fixtureImage(name));
    const before = Tfs.mount(device, { readOnly: true });
    const hashes = fileHashes(before);
    const fs = Tfs.mount(device);
    if (fs.freeSectors < 2 * 1024 + 200) {
      // Nanos needs two free 1024-sector log areas before it writes data; so do we.
      expect(() => fs.writeFile("/x", "x")).toThrow("ENOSPC");
      return;
    }
    fs.mkdir("/added/deep", { recursive: true });
    fs.writeFile("/added/deep/new.bin", Uint8Array.from({ length: 70_000 }, (_, i) => i & 0xff));
    const victim = hashes[0]?.split("\t")[0];
    if (victim !== undefined) fs.unlink(victim);
    fs.sync();
    const after = Tfs.mount(device);
    expect(after.readFile("/added/deep/new.bin")).toEqual(Uint8Array.from({ length: 70_000 }, (_, i) => i & 0xff));
    expect(fileHashes(after).filter((l) => !l.startsWith("/added/"))).toEqual(hashes.slice(1));
    const versions = after.logExtensions.map((e) => e.version);
    // A v4 log is never appended to: the writer links a fresh v5 extension (a mixed chain).
    if (before.version === 4) expect(versions).toEqual([4, 4, 5]);
    else expect(versions.every((v) => v === 5)).toBe(true);
  });
});

describe("a version-4 image after compaction", () => {
  it("is a version-5 filesystem with the same files", () => {
    const device = MemoryBlockDevice.from(fixtureImage("v4"));
    const hashes = fileHashes(Tfs.mount(device, { readOnly: true }));
    const fs = Tfs.mount(device);
    fs.compact();
    expect(fs.version).toBe(5);
    const again = Tfs.mount(device);
    expect(again.version).toBe(5);
    expect(again.logExtensions.map((e) => e.version)).toEqual([5, 5]);
    expect(fileHashes(again)).toEqual(hashes);
    expect(dumpMetadata(again)).not.toContain("WARNING");
  });
});

describe("an image laid out as the ops tool writes it", () => {
  it("one record, numbers as strings, data right after the log: reads, takes changes, remounts", () => {
    const device = new MemoryBlockDevice(4096);
    const content = new TextEncoder().encode("written by ops\n");
    const sector = new Uint8Array(512);
    sector.set(content);
    device.write(1025, sector);
    const root = Tuple.from({
      children: { etc: { children: { motd: { filelength: String(content.length), extents: { 0: { offset: "1025", length: "1", allocated: "1" } } } } } },
      program: "/bin/x",
    });
    LogWriter.create(device, { uuid: new Uint8Array(16).fill(1), label: "" }, 1, () => 2049).commit([new TupleCodec().encodeTuple(root)]);
    const fs = Tfs.mount(device);
    expect(fs.readFile("/etc/motd")).toEqual(content);
    fs.appendFile("/etc/motd", "and by nanots\n");
    fs.sync();
    expect(new TextDecoder().decode(Tfs.mount(device).readFile("/etc/motd"))).toBe("written by ops\nand by nanots\n");
  });
});
