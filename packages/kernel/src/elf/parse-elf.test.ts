import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ElfError } from "./elf-error.js";
import { ET_CORE, ET_DYN, ET_REL, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_PHDR, PT_TLS } from "./elf-constants.js";
import { GUEST_DIR, GUEST_FLAVOURS, guestBinaries } from "./guest-binaries.js";
import { parseElf } from "./parse-elf.js";
import { DEFAULT_PHDRS, makeElf, type TestElf } from "./test-elf.js";

interface ReadelfPhdr {
  type: string;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: string;
  align: number;
}

/** Every binary guest/build.sh described with readelf ("musl/hello"…), sorted as guestBinaries. */
function readelfCaptures(): string[] {
  return GUEST_FLAVOURS.flatMap((flavour) =>
    readdirSync(`${GUEST_DIR}readelf/${flavour}`)
      .map((file) => file.replace(/\.txt$/, ""))
      .sort()
      .map((prog) => `${flavour}/${prog}`),
  );
}

/** binutils' description of a binary, captured by guest/build.sh into guest/readelf/. */
function readelf(name: string) {
  const text = readFileSync(`${GUEST_DIR}readelf/${name}.txt`, "utf8");
  const field = (label: string): string => {
    const m = new RegExp(`^\\s*${label}:\\s+(.*)$`, "m").exec(text);
    if (!m?.[1]) throw new Error(`readelf output for ${name} has no ${label}`);
    return m[1].trim();
  };
  const phdrs: ReadelfPhdr[] = [];
  const row = /^\s+(\w+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$/gm;
  for (const m of text.matchAll(row)) {
    const [, type, offset, vaddr, filesz, memsz, flags, align] = m as unknown as string[];
    phdrs.push({
      type: type as string,
      offset: parseInt(offset as string, 16),
      vaddr: parseInt(vaddr as string, 16),
      filesz: parseInt(filesz as string, 16),
      memsz: parseInt(memsz as string, 16),
      flags: flags as string,
      align: parseInt(align as string, 16),
    });
  }
  return {
    type: field("Type").split(" ")[0],
    entry: parseInt(field("Entry point address"), 16),
    phoff: parseInt(field("Start of program headers"), 10),
    phent: parseInt(field("Size of program headers"), 10),
    phnum: parseInt(field("Number of program headers"), 10),
    interpreter: /\[Requesting program interpreter: (.*)\]/.exec(text)?.[1],
    phdrs,
  };
}

const flagsOf = (prot: { read: boolean; write: boolean; execute: boolean }): string =>
  `${prot.read ? "R" : " "}${prot.write ? "W" : " "}${prot.execute ? "E" : " "}`;

function elfError(spec: TestElf | Uint8Array): ElfError {
  try {
    parseElf(spec instanceof Uint8Array ? spec : makeElf(spec));
  } catch (e) {
    if (e instanceof ElfError) return e;
    throw e;
  }
  throw new Error("parseElf accepted the file");
}

describe("parseElf on the committed guest binaries, checked against readelf", () => {
  const binaries = guestBinaries();
  it("finds every binary readelf described", () => {
    expect(binaries.map((b) => b.name)).toEqual(readelfCaptures());
  });

  for (const bin of binaries) {
    it(`${bin.name} matches readelf -hlW`, () => {
      const image = parseElf(bin.bytes);
      const ref = readelf(bin.name);
      expect(image.type).toBe(ref.type === "EXEC" ? "exec" : "dyn");
      expect(image.pie).toBe(ref.type === "DYN");
      expect(image.entry).toBe(ref.entry);
      expect(image.phoff).toBe(ref.phoff);
      expect(image.phent).toBe(ref.phent);
      expect(image.phnum).toBe(ref.phnum);
      expect(ref.phdrs.length).toBe(ref.phnum);
      expect(image.interpreter).toBe(ref.interpreter);

      const loads = ref.phdrs.filter((p) => p.type === "LOAD").sort((a, b) => a.vaddr - b.vaddr);
      expect(image.segments.map((s) => [s.vaddr, s.memsz, s.offset, s.filesz, flagsOf(s.prot), s.align])).toEqual(
        loads.map((p) => [p.vaddr, p.memsz, p.offset, p.filesz, p.flags, p.align]),
      );
      const stack = ref.phdrs.find((p) => p.type === "GNU_STACK");
      expect(image.executableStack).toBe(stack !== undefined && stack.flags.includes("E"));
      const tls = ref.phdrs.find((p) => p.type === "TLS");
      expect(image.tls).toEqual(
        tls && { vaddr: tls.vaddr, offset: tls.offset, filesz: tls.filesz, memsz: tls.memsz, align: Math.max(1, tls.align) },
      );
      const phdr = ref.phdrs.find((p) => p.type === "PHDR");
      const holder = loads.find((p) => p.offset <= ref.phoff && ref.phoff + ref.phnum * 56 <= p.offset + p.filesz);
      expect(image.phdrAddress).toBe(phdr ? phdr.vaddr : holder && holder.vaddr + ref.phoff - holder.offset);
    });
  }

  it("the dynamic hello asks for the glibc interpreter and is a PIE", () => {
    const image = parseElf(binaries.find((b) => b.name === "glibc-dynamic/hello")!.bytes);
    expect(image.interpreter).toBe("/lib64/ld-linux-x86-64.so.2");
    expect(image.pie).toBe(true);
    expect(image.loadStart).toBe(0);
  });

  it("the static-PIE hello is ET_DYN without an interpreter", () => {
    const image = parseElf(binaries.find((b) => b.name === "glibc-static-pie/hello")!.bytes);
    expect(image.pie).toBe(true);
    expect(image.interpreter).toBeUndefined();
  });
});

describe("parseElf accepts what Linux loads", () => {
  it("a minimal static program", () => {
    const image = parseElf(makeElf());
    expect(image).toMatchObject({ type: "exec", pie: false, entry: 0x401000, phnum: 1, loadStart: 0x400000, loadEnd: 0x402000 });
    expect(image.phdrAddress).toBe(0x400040);
    expect(image.executableStack).toBe(false);
    expect(image.interpreter).toBeUndefined();
  });

  it("sorts PT_LOAD segments by address, skips empty ones, reads PT_GNU_STACK, PT_TLS and PT_PHDR", () => {
    const image = parseElf(
      makeElf({
        type: ET_DYN,
        entry: 0x1010,
        phdrs: [
          { type: PT_PHDR, vaddr: 0x40, offset: 0x40, filesz: 0x150 },
          { type: PT_LOAD, flags: PF_R | PF_W, offset: 0x1800, vaddr: 0x3800, filesz: 0x100, memsz: 0x900, align: 0x1000 },
          { type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0, filesz: 0x1800, memsz: 0x1800, align: 0x1000 },
          { type: PT_LOAD, flags: PF_R, offset: 0, vaddr: 0x9000, filesz: 0, memsz: 0 },
          { type: PT_GNU_STACK, flags: PF_R | PF_W | PF_X },
          { type: PT_TLS, offset: 0x1800, vaddr: 0x3800, filesz: 0x10, memsz: 0x40, align: 0 },
        ],
      }),
    );
    expect(image.segments.map((s) => s.index)).toEqual([2, 1]);
    expect(image.loadEnd).toBe(0x4100);
    expect(image.executableStack).toBe(true);
    expect(image.tls).toEqual({ vaddr: 0x3800, offset: 0x1800, filesz: 0x10, memsz: 0x40, align: 1 });
    expect(image.phdrAddress).toBe(0x40);
  });

  it("reports no phdr address when no loaded segment holds the table", () => {
    const image = parseElf(
      makeElf({ phdrs: [{ type: PT_LOAD, flags: PF_R | PF_X, offset: 0x1000, vaddr: 0x401000, filesz: 0x1000, memsz: 0x1000 }] }),
    );
    expect(image.phdrAddress).toBeUndefined();
  });

  it("works on a view into a larger buffer", () => {
    const inner = makeElf();
    const outer = new Uint8Array(inner.length + 100);
    outer.set(inner, 100);
    expect(parseElf(outer.subarray(100)).entry).toBe(0x401000);
  });
});

describe("parseElf rejects what it cannot load, with a one-line message", () => {
  const cases: [string, TestElf | Uint8Array, RegExp, string][] = [
    ["empty file", new Uint8Array(0), /only 0 bytes long/, "not-elf"],
    ["text file", new TextEncoder().encode("#!/bin/sh\necho hi\n"), /not an ELF file: the first bytes are 23 21 2f 62/, "not-elf"],
    ["32-bit", { elfClass: 1 }, /is a 32-bit ELF; nanots runs x86-64 programs only/, "unsupported"],
    ["32-bit cut short", makeElf({ elfClass: 1 }).subarray(0, 20), /32-bit ELF; nanots runs x86-64 programs only/, "unsupported"],
    ["bad class", { elfClass: 7 }, /bad ELF class 7 at byte 4/, "malformed"],
    ["big-endian", { data: 2 }, /big-endian ELF/, "unsupported"],
    ["AArch64", { machine: 183 }, /ELF for AArch64 \(e_machine 183\); nanots runs x86-64 programs only/, "unsupported"],
    ["unknown machine", { machine: 9999 }, /ELF for machine 9999/, "unsupported"],
    ["object file", { type: ET_REL }, /relocatable object \(\.o\)/, "unsupported"],
    ["core dump", { type: ET_CORE }, /core dump/, "unsupported"],
    ["unknown type", { type: 77 }, /unknown ELF type 77 at byte 16/, "malformed"],
    ["truncated header", makeElf().subarray(0, 40), /truncated ELF header: the file has 40 bytes, the header needs 64/, "truncated"],
    ["no program headers", { phnum: 0, phdrs: [] }, /no program headers/, "malformed"],
    ["absurd count", { phnum: 60000 }, /absurd program header count 60000 at byte 56/, "malformed"],
    ["wrong phentsize", { phentsize: 32 }, /e_phentsize is 32/, "malformed"],
    ["truncated phdrs", { phoff: 0x1ff0, size: 0x2000 }, /truncated program headers: 1 headers at byte 8176 need 8232 bytes, the file has 8192/, "truncated"],
    ["phoff beyond 2^53", { phoff: 2 ** 60, size: 0x2000 }, /e_phoff is 0x1000000000000000, far beyond/, "malformed"],
    [
      "segment outside the file",
      { phdrs: [{ type: PT_LOAD, flags: PF_R | PF_X, offset: 0x1000, vaddr: 0x401000, filesz: 0x5000, memsz: 0x5000 }] },
      /program header 0 \(PT_LOAD, at byte 64\) takes file bytes 0x1000\.\.0x6000, outside the 8192-byte file/,
      "malformed",
    ],
    [
      "filesz > memsz",
      { phdrs: [{ type: PT_LOAD, offset: 0, vaddr: 0x400000, filesz: 0x100, memsz: 0x80 }] },
      /p_filesz 0x100 larger than p_memsz 0x80/,
      "malformed",
    ],
    [
      "filesz > memsz on an empty segment",
      { phdrs: [...DEFAULT_PHDRS, { type: PT_LOAD, offset: 0, vaddr: 0x500000, filesz: 0x100, memsz: 0 }] },
      /program header 1 .* p_filesz 0x100 larger than p_memsz 0x0/,
      "malformed",
    ],
    [
      "above user space",
      { entry: 0x7ffffffff000, phdrs: [{ type: PT_LOAD, offset: 0, vaddr: 0x7ffffffff000, filesz: 0x1000, memsz: 0x2000 }] },
      /beyond the 47-bit user address space/,
      "malformed",
    ],
    [
      "bad alignment",
      { phdrs: [{ type: PT_LOAD, offset: 0, vaddr: 0x400000, filesz: 0x100, memsz: 0x100, align: 0x1001 }] },
      /p_align 4097, which is not a power of two/,
      "malformed",
    ],
    [
      "offset and address disagree within a page",
      { entry: 0x400010, phdrs: [{ type: PT_LOAD, offset: 0x10, vaddr: 0x400000, filesz: 0x100, memsz: 0x100 }] },
      /maps file offset 0x10 at address 0x400000/,
      "malformed",
    ],
    [
      "overlapping PT_LOADs",
      {
        phdrs: [
          ...DEFAULT_PHDRS,
          { type: PT_LOAD, flags: PF_R | PF_W, offset: 0x1000, vaddr: 0x401000, filesz: 0x100, memsz: 0x3000 },
        ],
      },
      /PT_LOAD segments overlap: program header 0 covers 0x400000\.\.0x402000 and program header 1 starts at 0x401000/,
      "malformed",
    ],
    ["no PT_LOAD", { phdrs: [{ type: PT_GNU_STACK, flags: PF_R | PF_W }] }, /no PT_LOAD segment/, "malformed"],
    ["entry outside", { entry: 0x10 }, /entry point 0x10 \(e_entry, byte 24\) is outside every PT_LOAD segment/, "malformed"],
    [
      "interpreter path outside the file",
      { phdrs: [...DEFAULT_PHDRS, { type: PT_INTERP, offset: 0x1ff0, filesz: 0x40 }] },
      /PT_INTERP, at byte 120\) takes file bytes 0x1ff0\.\.0x2030, outside/,
      "malformed",
    ],
    [
      "interpreter path without NUL",
      { phdrs: [...DEFAULT_PHDRS, { type: PT_INTERP, offset: 0x200, filesz: 4 }], patches: [{ at: 0x200, bytes: new TextEncoder().encode("/abc") }] },
      /interpreter path is not NUL-terminated/,
      "malformed",
    ],
    [
      "interpreter path with an inner NUL",
      {
        phdrs: [...DEFAULT_PHDRS, { type: PT_INTERP, offset: 0x200, filesz: 5 }],
        patches: [{ at: 0x200, bytes: new Uint8Array([0x2f, 0, 0x61, 0x62, 0]) }],
      },
      /has a NUL byte inside it/,
      "malformed",
    ],
    ["empty interpreter path", { phdrs: [...DEFAULT_PHDRS, { type: PT_INTERP, offset: 0x200, filesz: 1 }] }, /has a 1-byte path/, "malformed"],
    [
      "two interpreters",
      {
        phdrs: [...DEFAULT_PHDRS, { type: PT_INTERP, offset: 0x200, filesz: 3 }, { type: PT_INTERP, offset: 0x200, filesz: 3 }],
        patches: [{ at: 0x200, bytes: new Uint8Array([0x2f, 0x61, 0]) }],
      },
      /second PT_INTERP/,
      "malformed",
    ],
    [
      "TLS filesz > memsz",
      { phdrs: [...DEFAULT_PHDRS, { type: PT_TLS, offset: 0x100, filesz: 0x20, memsz: 0x10 }] },
      /PT_TLS.*p_filesz 0x20 larger than p_memsz 0x10/,
      "malformed",
    ],
  ];
  for (const [name, spec, message, kind] of cases) {
    it(name, () => {
      const error = elfError(spec);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain("\n");
      expect(error.kind).toBe(kind);
    });
  }

  it("carries the byte offset of the bad field", () => {
    expect(elfError({ machine: 40 }).offset).toBe(18);
    expect(elfError({ phdrs: [...DEFAULT_PHDRS, { type: PT_TLS, offset: 0, filesz: 0x10, memsz: 0x10, align: 3 }] }).offset).toBe(64 + 56);
  });

  it("rejects a real binary cut anywhere inside its program headers or segments", () => {
    const hello = guestBinaries().find((b) => b.name === "musl/hello")!.bytes;
    const image = parseElf(hello);
    const lastByte = Math.max(...image.segments.map((s) => s.offset + s.filesz));
    for (const cut of [0, 3, 17, 63, 64, 100, image.phoff + image.phnum * 56 - 1, lastByte - 1]) {
      expect(() => parseElf(hello.subarray(0, cut)), `cut at ${cut}`).toThrow(ElfError);
    }
    expect(parseElf(hello.subarray(0, lastByte)).entry).toBe(image.entry);
  });
});

describe("parseElf on the host's own files", () => {
  it("every file in /usr/bin and /usr/lib/x86_64-linux-gnu either parses consistently or gives an ElfError", () => {
    let parsed = 0;
    let refused = 0;
    for (const dir of ["/usr/bin", "/usr/lib/x86_64-linux-gnu"]) {
      let names: string[] = [];
      try {
        names = readdirSync(dir).sort().slice(0, 300);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = `${dir}/${name}`;
        let bytes: Uint8Array;
        try {
          const st = statSync(path);
          if (!st.isFile() || st.size > 4 * 1024 * 1024) continue;
          bytes = new Uint8Array(readFileSync(path));
        } catch {
          continue; // unreadable: not the parser's business
        }
        try {
          const image = parseElf(bytes);
          for (const seg of image.segments) expect(seg.offset + seg.filesz, path).toBeLessThanOrEqual(bytes.length);
          parsed++;
        } catch (e) {
          expect(e, path).toBeInstanceOf(ElfError);
          refused++;
        }
      }
    }
    // An x86-64 Linux host has ELF programs and shared objects in these folders.
    expect(parsed).toBeGreaterThan(10);
  });
});
