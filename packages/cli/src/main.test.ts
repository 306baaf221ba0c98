import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PartitionDevice, Tfs } from "@nanots/tfs";
import { FileBlockDevice } from "@nanots/tfs/node";
import { runCli } from "./test-io.js";

const FIXTURES = process.env.NANOTS_SHARED !== undefined ? join(process.env.NANOTS_SHARED, "fixtures", "tfs") : fileURLToPath(new URL("../../../../shared/fixtures/tfs/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "nanots-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(argv: string[], options: { stdin?: Uint8Array; cwd?: string; tty?: boolean } = {}) {
  return runCli(argv, { ...options, cwd: options.cwd ?? work });
}

const fixture = (name: string, file: string): string => join(FIXTURES, name, file);

function hashTree(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const info = statSync(path, { throwIfNoEntry: false });
    if (readlinkSafe(path) !== undefined) out.push(`${prefix}/${name} -> ${readlinkSync(path)}`);
    else if (info?.isDirectory()) out.push(...hashTree(path, `${prefix}/${name}`));
    else out.push(`${prefix}/${name}\t${info!.size}\t${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
  }
  return out;
}

function readlinkSafe(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

describe("nanots dump", () => {
  for (const name of ["empty", "small", "program", "v4"]) {
    it(`prints ${name}/dump.txt exactly`, async () => {
      const r = await run(["dump", fixture(name, `${name}.img`)]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(fixture(name, "dump.txt"), "utf8"));
    });
  }

  it("-t prints the tree with Nanos's colors", async () => {
    const r = await run(["dump", "-t", fixture("program", "program.img")]);
    expect(r.stdout.split("\n").sort()).toEqual(readFileSync(fixture("program", "dump-t.txt"), "utf8").split("\n").sort());
  });

  it("-d copies the files out, symlinks included", async () => {
    const out = join(work, "small-out");
    const r = await run(["dump", "-d", out, fixture("small", "small.img")]);
    expect(r.code).toBe(0);
    const expected = readFileSync(fixture("small", "files.sha256"), "utf8").split("\n").filter(Boolean);
    const ours = hashTree(out);
    expect(ours.filter((l) => !l.includes(" -> ")).sort()).toEqual(expected.sort());
    expect(ours).toContain("/link-to-hello -> hello.txt");
  });

  it("finds the root filesystem of a partitioned disk and says where, after the metadata", async () => {
    const path = join(work, "disk.img");
    const device = FileBlockDevice.open(path, { create: true, sectorCount: 0x300 + 8192 });
    const mbr = new Uint8Array(512);
    const view = new DataView(mbr.buffer);
    for (const [i, lba, count] of [[0, 0x80, 0x280], [1, 0x300, 8192]] as const) {
      mbr[0x1be + 16 * i + 4] = 0x83;
      view.setUint32(0x1be + 16 * i + 8, lba, true);
      view.setUint32(0x1be + 16 * i + 12, count, true);
    }
    mbr.set([0x55, 0xaa], 510);
    device.write(0, mbr);
    const fs = Tfs.format(new PartitionDevice(device, 0x300), { label: "rootfs" });
    fs.writeFile("/f", "x");
    fs.sync();
    device.close();
    const r = await run(["dump", path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Label: rootfs\n[^]*\n \S*f:\(atime:\d+[^]*\ndetected filesystem at 0x60000\n$/);
  });

  it("host I/O errors are one line on stderr and exit 1", async () => {
    const dir = await run(["dump", work]);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toBe("nanots dump: EISDIR: illegal operation on a directory, read\n");
    const mk = await run(["mkfs", join(work, "no", "such", "x.img")], { stdin: new TextEncoder().encode("(children:())") });
    expect(mk.code).toBe(1);
    expect(mk.stderr).toMatch(/^nanots mkfs: ENOENT: no such file or directory/);
  });

  it("a file that is not TFS fails like Nanos dump, exit 1", async () => {
    const r = await run(["dump", fixture("small", "manifest.txt")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dump: failed to initialize filesystem: TfsError|not a TFS image: bad magic/);
  });
});

describe("nanots mkfs", () => {
  it("builds small/ from its manifest: same files as Nanos's image, Nanos's stdout and size", async () => {
    const image = join(work, "small.img");
    const r = await run(["mkfs", image], { stdin: readFileSync(fixture("small", "manifest.txt")), cwd: join(FIXTURES, "small") });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(1)).toEqual(readFileSync(fixture("small", "mkfs.out"), "utf8").split("\n").slice(1));
    expect(statSync(image).size).toBe(statSync(fixture("small", "small.img")).size);
    const out = join(work, "small-rt");
    await run(["dump", "-d", out, image]);
    const expected = readFileSync(fixture("small", "files.sha256"), "utf8").split("\n").filter(Boolean);
    expect(hashTree(out).filter((l) => !l.includes(" -> ")).sort()).toEqual(expected.sort());
  });

  it("program/: mkfs output, image size and dump equal Nanos's, but for the random UUID", async () => {
    const image = join(work, "program.img");
    const withoutUuid = (text: string): string => text.replace(/^UUID: .*$/m, "UUID: *");
    const r = await run(["mkfs", "-l", "fixture-label", "-t", "(cmdline_flag:t)", image], {
      stdin: readFileSync(fixture("program", "manifest.txt")),
      cwd: join(FIXTURES, "program"),
    });
    expect(r.code).toBe(0);
    expect(withoutUuid(r.stdout)).toBe(withoutUuid(readFileSync(fixture("program", "mkfs.out"), "utf8")));
    expect(statSync(image).size).toBe(statSync(fixture("program", "program.img")).size);
    const dump = await run(["dump", image]);
    expect(withoutUuid(dump.stdout)).toBe(withoutUuid(readFileSync(fixture("program", "dump.txt"), "utf8")));
  });

  it("-e -l label makes a 1 MiB empty image whose dump shows the label", async () => {
    const image = join(work, "empty.img");
    expect((await run(["mkfs", "-e", "-l", "lbl", image])).code).toBe(0);
    expect(statSync(image).size).toBe(1024 * 1024);
    const dump = await run(["dump", image]);
    expect(dump.stdout).toMatch(/^Label: lbl\nUUID: [0-9a-f-]{36}\nmetadata\n\(\.\.:<visited>\n children:\(\)\)\n$/);
  });

  it("-r looks host paths up in the target root first", async () => {
    mkdirSync(join(work, "root", "etc"), { recursive: true });
    writeFileSync(join(work, "root", "etc", "hosts"), "in the root\n");
    const image = join(work, "r.img");
    const r = await run(["mkfs", "-r", "root", image], { stdin: new TextEncoder().encode("(children:(etc:(children:(hosts:(contents:(host:/etc/hosts))))))") });
    expect(r.code).toBe(0);
    const out = join(work, "r-out");
    await run(["dump", "-d", out, image]);
    expect(readFileSync(join(out, "etc", "hosts"), "utf8")).toBe("in the root\n");
  });

  it("-t and -s apply", async () => {
    const image = join(work, "t.img");
    const r = await run(["mkfs", "-s", "3M", "-t", "(program:/x)", image], { stdin: new TextEncoder().encode("(children:())") });
    expect(r.code).toBe(0);
    expect(statSync(image).size).toBe(3.5 * 1024 * 1024);
    expect((await run(["dump", image])).stdout).toContain(" program:/x)");
  });

  it("draws a progress bar on a terminal when copying more than 4 MB, and not otherwise", async () => {
    writeFileSync(join(work, "big.bin"), new Uint8Array(6 * 1024 * 1024));
    const stdin = new TextEncoder().encode("(children:(big:(contents:(host:big.bin))))");
    const tty = await run(["mkfs", join(work, "big.img")], { stdin, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/^\rmkfs \[#* *\] \d+%/);
    expect(tty.stderr).toContain("100% 6.0/6.0 MB\n");
    const pipe = await run(["mkfs", join(work, "big2.img")], { stdin });
    expect(pipe.stderr).toBe("");
  });

  it("help lists the commands; no command is a usage error", async () => {
    const help = await run(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: nanots <command> \[options\]\n\ncommands:\n(  \S+ +\S.*\n)+$/);
    const names = [...help.stdout.matchAll(/^  (\S+)/gm)].map((m) => m[1]);
    expect(names).toEqual(["run", "mkfs", "dump", "disasm"]);
    const none = await run([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(help.stdout);
  });

  it("usage errors exit 1 with the usage line", async () => {
    for (const argv of [["mkfs"], ["mkfs", "-x", "a"], ["mkfs", "-l"], ["mkfs", "-s", "0", "a"], ["dump"], ["frob"]]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(1);
      expect(r.stderr).toMatch(/usage/);
    }
  });

  it("an empty manifest exits 1; a missing host file exits 2", async () => {
    expect((await run(["mkfs", join(work, "x.img")])).code).toBe(1);
    const r = await run(["mkfs", join(work, "y.img")], { stdin: new TextEncoder().encode("(children:(a:(contents:(host:missing))))") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("couldn't stat file missing");
    expect(existsSync(join(work, "y.img"))).toBe(false);
  });
});

describe("nanots disasm", () => {
  const object = fileURLToPath(new URL("../../x86/test/fixtures/small.o", import.meta.url));

  it("prints the code of an ELF file in objdump's layout", async () => {
    const r = await run(["disasm", object]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/file format elf64-x86-64/);
    expect(r.stdout).toMatch(/Disassembly of section \.text:/);
    expect(r.stdout).toMatch(/^ +[0-9a-f]+:\t([0-9a-f]{2} )+\s*\t\S+/m); // "  addr:<tab>bytes<tab>mnemonic"
  });

  it("prints AT&T syntax with --att, line for line what objdump -d printed", async () => {
    const r = await run(["disasm", "--att", object]);
    expect(r.code).toBe(0);
    // The corpus normalisation of @nanots/x86: objdump's "# target <symbol>" comments go.
    const lines = (text: string): string[] =>
      text.split("\n").filter((l) => /^ +[0-9a-f]+:\t/.test(l)).map((l) => l.replace(/\s+#.*$/, "").replace(/\s+/g, " ").trim());
    const expected = readFileSync(fileURLToPath(new URL("../../x86/test/fixtures/small.o.objdump-att.txt", import.meta.url)), "utf8");
    expect(lines(r.stdout)).toEqual(lines(expected));
    expect(lines(r.stdout).length).toBeGreaterThan(10);
  });

  it("reports a file that is not an ELF, or missing, in one line with exit 1", async () => {
    const bad = await run(["disasm", fixture("program", "src/etc/resolv.conf")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^disasm: .*resolv\.conf: .+\n$/);
    const missing = await run(["disasm", join(work, "nope")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^disasm: cannot open /);
    expect((await run(["disasm"])).code).toBe(1);
  });
});
