import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tuple, TupleCodec } from "@nanots/tuple";
import { afterAll, describe, expect, it } from "vitest";
import { LogWriter } from "../log-writer.js";
import { MemoryBlockDevice } from "../memory-block-device.js";
import { Tfs } from "../tfs.js";
import { extractTo } from "./extract.js";

const work = mkdtempSync(join(tmpdir(), "nanots-extract-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("extractTo", () => {
  it("writes directories, files and symlinks", () => {
    const fs = Tfs.format(new MemoryBlockDevice(8192));
    fs.mkdir("/d/e", { recursive: true });
    fs.writeFile("/d/e/f.txt", "content");
    fs.symlink("e/f.txt", "/d/link");
    const out = join(work, "plain");
    expect(extractTo(fs, out)).toBe(4);
    expect(readFileSync(join(out, "d/e/f.txt"), "utf8")).toBe("content");
    expect(readlinkSync(join(out, "d/link"))).toBe("e/f.txt");
  });

  it("a hostile image cannot write outside the target", () => {
    // Names a path API would never produce, written straight into the log.
    const device = new MemoryBlockDevice(8192);
    const file = { extents: {}, filelength: 0 };
    const root = Tuple.from({ children: { "..": { children: { escaped: file } }, "a/b": file, ok: file } as never });
    LogWriter.create(device, { uuid: new Uint8Array(16), label: "" }, 1, () => 1025).commit([new TupleCodec().encodeTuple(root)]);
    const out = join(work, "hostile", "inner");
    mkdirSync(out, { recursive: true });
    extractTo(Tfs.mount(device), out);
    expect(existsSync(join(out, "ok"))).toBe(true);
    expect(existsSync(join(work, "hostile", "escaped"))).toBe(false);
    expect(existsSync(join(out, "a"))).toBe(false);
  });

  it("does not write through a symlink that is already there", () => {
    const fs = Tfs.format(new MemoryBlockDevice(8192));
    fs.writeFile("/x", "data");
    const out = join(work, "pre");
    mkdirSync(out, { recursive: true });
    symlinkSync(join(work, "victim"), join(out, "x"));
    extractTo(fs, out);
    expect(existsSync(join(work, "victim"))).toBe(false);
    expect(lstatSync(join(out, "x")).isSymbolicLink()).toBe(true);
  });
});
