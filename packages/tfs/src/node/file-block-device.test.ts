import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SgList } from "@nanots/sg";
import { Tfs } from "../tfs.js";
import { FileBlockDevice } from "./file-block-device.js";
import { nodeMkfsHost } from "./node-mkfs-host.js";

const work = mkdtempSync(join(tmpdir(), "nanots-tfs-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("FileBlockDevice", () => {
  it("is sparse, reads zeros past the end, and handles scatter/gather lists", () => {
    const path = join(work, "sparse.img");
    const device = FileBlockDevice.open(path, { create: true, sectorCount: 1 << 21 }); // 1 GiB
    const a = new Uint8Array(512).fill(1);
    const b = new Uint8Array(1024).fill(2);
    device.write(100_000, [a, b]);
    const x = new Uint8Array(512);
    const y = new Uint8Array(1024);
    device.read(100_000, [x, y]);
    expect(x).toEqual(a);
    expect(y).toEqual(b);
    const past = new Uint8Array(2048).fill(9);
    device.read(1 << 20, past);
    expect(past.every((v) => v === 0)).toBe(true);
    device.flush();
    device.resize(1 << 21);
    device.close();
    const info = statSync(path);
    expect(info.size).toBe(1 << 30);
    expect(info.blocks * 512).toBeLessThan(1 << 20); // holes stay holes
  });

  it("takes SgLists and more fragments than one preadv/pwritev allows", () => {
    const device = FileBlockDevice.open(join(work, "sg.img"), { create: true, sectorCount: 4096 });
    const fragments = Array.from({ length: 2000 }, (_, i) => new Uint8Array(512).fill(i & 0xff));
    device.write(10, fragments);
    const back = Array.from({ length: 2000 }, () => new Uint8Array(512));
    device.read(10, back);
    expect(back.every((f, i) => f.every((b) => b === (i & 0xff)))).toBe(true);
    const sg = new SgList();
    sg.append(new Uint8Array(300).fill(1));
    sg.append(new Uint8Array(212).fill(2));
    device.write(3, sg);
    expect(sg.totalLength).toBe(512); // nothing consumed
    const into = new SgList();
    into.append(new Uint8Array(100));
    into.append(new Uint8Array(412));
    device.read(3, into);
    const bytes = into.toUint8Array();
    expect(bytes.subarray(0, 300).every((b) => b === 1) && bytes.subarray(300).every((b) => b === 2)).toBe(true);
    device.close();
  });

  it("rejects transfers outside the device or not in whole sectors", () => {
    const device = FileBlockDevice.open(join(work, "small.img"), { create: true, sectorCount: 8 });
    expect(() => device.write(8, new Uint8Array(512))).toThrow(RangeError);
    expect(() => device.write(0, new Uint8Array(100))).toThrow(RangeError);
    device.close();
  });

  it("a filesystem on a file device survives closing and reopening", () => {
    const path = join(work, "fs.img");
    let device = FileBlockDevice.open(path, { create: true, sectorCount: 8192 });
    const fs = Tfs.format(device);
    fs.writeFile("/hello", "world");
    fs.close();
    device.close();
    device = FileBlockDevice.open(path);
    expect(new TextDecoder().decode(Tfs.mount(device).readFile("/hello"))).toBe("world");
    device.close();
  });
});

describe("nodeMkfsHost", () => {
  it("looks paths up in the target root first, retrying absolute symlinks inside it, else on the host", () => {
    const root = join(work, "target");
    mkdirSync(join(root, "etc"), { recursive: true });
    mkdirSync(join(root, "real"), { recursive: true });
    writeFileSync(join(root, "etc", "conf"), "from root");
    writeFileSync(join(root, "real", "lib"), "via absolute link");
    symlinkSync("/real/lib", join(root, "etc", "lib"));
    writeFileSync(join(work, "only-on-host"), "from host");
    const host = nodeMkfsHost({ cwd: work, targetRoot: "target" });
    const text = (p: string): string => new TextDecoder().decode(host.readFile(p));
    expect(text("/etc/conf")).toBe("from root");
    expect(text("/etc/lib")).toBe("via absolute link");
    expect(text("only-on-host")).toBe("from host");
    expect(() => host.readFile("missing")).toThrow(/couldn't stat file missing/);
  });
});
