import { DecodedInstruction, decode, formatIntel, readElf } from "@nanots/x86";
import { NANOS_UNAME, syscallByName } from "@nanots/syscalls";
import { describe, expect, it } from "vitest";
import { PF_R, PF_W, PF_X, PT_DYNAMIC, PT_LOAD } from "../elf/elf-constants.js";
import { parseElf } from "../elf/parse-elf.js";
import { buildVdso, LINUX_VDSO_SONAME, NANOS_LINUX_VERSION } from "./build-vdso.js";
import { glibcVdsoVsym, goVdsoLookup, MappedImage, muslVdsoSym } from "./reference-lookups.js";
import { LINUX_VDSO_FUNCTIONS } from "./vdso-function.js";
import { VdsoError } from "./vdso-error.js";
import { elfHash } from "./symbol-hash.js";

const VDSO_ADDRESS = 0x7ffff7fc1000;
/** The functions and names Linux's x86-64 vDSO exports, with their x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
const LINUX_EXPORTS: [string, number][] = [
  ["clock_gettime", 228],
  ["gettimeofday", 96],
  ["time", 201],
  ["getcpu", 309],
  ["clock_getres", 229],
];
const ALL_NAMES = LINUX_EXPORTS.flatMap(([name]) => [`__vdso_${name}`, name]);
/** glibc's VDSO_NAME and VDSO_HASH for x86-64 (sysdeps/unix/sysv/linux/x86_64/sysdep.h). */
const GLIBC_VDSO_HASH = 61765110;
/** Go's runtime keys on amd64: old Go (DT_HASH only) and current Go. */
const GO_KEYS = [
  { name: "__vdso_time", symHash: 0xa33c485, gnuHash: 0 },
  { name: "__vdso_gettimeofday", symHash: 0x315ca59, gnuHash: 0xb01bca00 },
  { name: "__vdso_clock_gettime", symHash: 0xd35ec75, gnuHash: 0x6e43a318 },
];
const GO_LINUX_VERSION_HASH = 0x3ae75f6;

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 2 ** 32;
const cstring = (b: Uint8Array, at: number): string => new TextDecoder().decode(b.subarray(at, b.indexOf(0, at)));

/** Program headers as [type, flags, offset, vaddr, filesz, memsz]. */
function programHeaders(b: Uint8Array): number[][] {
  return Array.from({ length: u16(b, 56) }, (_, i) => {
    const at = u64(b, 32) + 56 * i;
    return [u32(b, at), u32(b, at + 4), u64(b, at + 8), u64(b, at + 16), u64(b, at + 32), u64(b, at + 40)];
  });
}

/** The dynamic section as tag → value, read through PT_DYNAMIC. */
function dynamicSection(b: Uint8Array): Map<number, number> {
  const ph = programHeaders(b).find(([type]) => type === PT_DYNAMIC)!;
  const entries = new Map<number, number>();
  for (let at = ph[2]!; at < ph[2]! + ph[4]!; at += 16) {
    expect(entries.has(u64(b, at))).toBe(false);
    entries.set(u64(b, at), u64(b, at + 8));
  }
  return entries;
}

/** Disassembles the instructions at an address of the mapped image until the first ret. */
function codeAt(m: MappedImage, address: number): string[] {
  const out: string[] = [];
  const ins = new DecodedInstruction();
  for (let at = address - m.base; out.at(-1) !== "ret" && out.length < 10; ) {
    at += decode(ins, m.bytes, at, m.base + at);
    out.push(formatIntel(ins).replace(/\s+/g, " "));
  }
  return out;
}

describe("buildVdso: the ELF image", () => {
  const vdso = buildVdso();

  it("is an x86-64 ET_DYN that the kernel's own ELF parser accepts, one r-x segment over the whole image", () => {
    const image = parseElf(vdso.bytes);
    expect(image.type).toBe("dyn");
    expect(image.interpreter).toBeUndefined();
    expect(image.tls).toBeUndefined();
    expect(image.segments).toEqual([
      { index: 0, vaddr: 0, memsz: vdso.bytes.length, offset: 0, filesz: vdso.bytes.length, align: 4096, prot: { read: true, write: false, execute: true } },
    ]);
    expect(image.phdrAddress).toBe(64);
    expect(vdso.mapSize % 4096).toBe(0);
    expect(vdso.mapSize).toBeGreaterThanOrEqual(vdso.bytes.length);
    expect(vdso.mapSize - vdso.bytes.length).toBeLessThan(4096);
  });

  it("has PT_DYNAMIC read-only inside the load segment, and a Linux note with Nanos's kernel version", () => {
    const phdrs = programHeaders(vdso.bytes);
    expect(phdrs.map(([type]) => type)).toEqual([PT_LOAD, PT_DYNAMIC, 4]);
    const [, dynFlags, dynOffset, dynVaddr, dynSize] = phdrs[1]!;
    expect(dynFlags).toBe(PF_R);
    expect(dynFlags! & (PF_W | PF_X)).toBe(0);
    expect(dynOffset).toBe(dynVaddr);
    expect(dynSize! % 16).toBe(0);
    const [, noteFlags, noteAt, , noteSize] = phdrs[2]!;
    expect(noteFlags).toBe(PF_R);
    expect(noteSize).toBe(24);
    const b = vdso.bytes;
    expect([u32(b, noteAt!), u32(b, noteAt! + 4), u32(b, noteAt! + 8), cstring(b, noteAt! + 12)]).toEqual([6, 4, 0, "Linux"]);
    const code = u32(b, noteAt! + 20);
    const [major, minor] = NANOS_UNAME.release.split(/[.-]/).map(Number);
    expect([code >> 16, (code >> 8) & 0xff, code & 0xff]).toEqual([major, minor, 0]);
    expect(NANOS_LINUX_VERSION).toEqual([major, minor, 0]);
  });

  it("leaves the note out when asked, and accepts another version", () => {
    const bare = buildVdso({ linuxVersion: null });
    expect(programHeaders(bare.bytes).map(([type]) => type)).toEqual([PT_LOAD, PT_DYNAMIC]);
    expect(muslVdsoSym(new MappedImage(bare.bytes, VDSO_ADDRESS), "LINUX_2.6", "__vdso_time")).toBe(VDSO_ADDRESS + bare.symbols.get("__vdso_time")!);
    const six = buildVdso({ linuxVersion: [6, 1, 200] });
    const at = programHeaders(six.bytes)[2]![2]!;
    expect(u32(six.bytes, at + 20)).toBe((6 << 16) | (1 << 8) | 200);
  });

  it("has exactly the dynamic entries the loaders read, all pointing inside the image", () => {
    const b = vdso.bytes;
    const dyn = dynamicSection(b);
    // DT_SONAME, HASH, GNU_HASH, STRTAB, SYMTAB, STRSZ, SYMENT, VERSYM, VERDEF, VERDEFNUM, NULL.
    expect([...dyn.keys()].sort((x, y) => x - y)).toEqual([0, 4, 5, 6, 10, 11, 14, 0x6ffffef5, 0x6ffffff0, 0x6ffffffc, 0x6ffffffd]);
    for (const tag of [4, 5, 6, 0x6ffffef5, 0x6ffffff0, 0x6ffffffc]) expect(dyn.get(tag)!).toBeLessThan(b.length);
    expect(dyn.get(11)).toBe(24);
    expect(dyn.get(0x6ffffffd)).toBe(2);
    const strtab = dyn.get(5)!;
    expect(strtab + dyn.get(10)!).toBeLessThanOrEqual(b.length);
    expect(b[strtab + dyn.get(10)! - 1]).toBe(0);
    expect(cstring(b, strtab + dyn.get(14)!)).toBe(LINUX_VDSO_SONAME);
    expect(LINUX_VDSO_SONAME).toBe("linux-vdso.so.1");
  });

  it("defines the base version (the soname) at index 1 and LINUX_2.6 at index 2, with their ELF hashes", () => {
    const b = vdso.bytes;
    const dyn = dynamicSection(b);
    const first = dyn.get(0x6ffffffc)!;
    const second = first + u32(b, first + 16);
    const read = (at: number): unknown[] => [u16(b, at), u16(b, at + 2), u16(b, at + 4), u16(b, at + 6), u32(b, at + 8), cstring(b, dyn.get(5)! + u32(b, at + u32(b, at + 12)))];
    expect(read(first)).toEqual([1, 1, 1, 1, elfHash("linux-vdso.so.1"), "linux-vdso.so.1"]);
    expect(read(second)).toEqual([1, 0, 2, 1, GLIBC_VDSO_HASH, "LINUX_2.6"]);
    expect(u32(b, second + 16)).toBe(0);
  });

  it("exports each function as a global FUNC and its plain name as a weak alias, both version LINUX_2.6, default visibility", () => {
    const b = vdso.bytes;
    const dyn = dynamicSection(b);
    const count = u32(b, dyn.get(4)! + 4);
    expect(count).toBe(1 + ALL_NAMES.length);
    const seen = new Map<string, [number, number, number, number]>();
    for (let i = 0; i < count; i++) {
      const at = dyn.get(6)! + 24 * i;
      seen.set(cstring(b, dyn.get(5)! + u32(b, at)), [b[at + 4]!, b[at + 5]!, u16(b, dyn.get(0x6ffffff0)! + 2 * i), u64(b, at + 16)]);
    }
    expect(seen.get("")).toEqual([0, 0, 0, 0]);
    for (const [name] of LINUX_EXPORTS) {
      expect(seen.get(`__vdso_${name}`)).toEqual([0x12 /* GLOBAL FUNC */, 0, 2, 8]);
      expect(seen.get(name)).toEqual([0x22 /* WEAK FUNC */, 0, 2, 8]);
      expect(vdso.symbols.get(name)).toBe(vdso.symbols.get(`__vdso_${name}`));
    }
    expect([...vdso.symbols.keys()].sort()).toEqual([...ALL_NAMES].sort());
  });

  it("has section headers an ELF reader can use: .text holds every symbol (read with @nanots/x86's readElf)", () => {
    const elf = readElf(vdso.bytes);
    expect(elf.sections.map((s) => s.name)).toEqual([".text"]);
    const text = elf.sections[0]!;
    expect(text.address).toBe(text.offset);
    expect(elf.symbols.map((s) => s.name).sort()).toEqual([...ALL_NAMES].sort());
    for (const s of elf.symbols) {
      expect(s.section).toBe(text.index);
      expect(s.address).toBe(vdso.symbols.get(s.name));
      expect(s.address).toBeGreaterThanOrEqual(text.address);
      expect(s.address + 8).toBeLessThanOrEqual(text.address + text.size);
    }
    expect(u64(vdso.bytes, 24)).toBe(text.address); // e_entry
  });

  it("is the same bytes every time", () => {
    expect(buildVdso().bytes).toEqual(vdso.bytes);
  });
});

describe("buildVdso: the lookups of musl, glibc and Go", () => {
  const vdso = buildVdso();
  const m = new MappedImage(vdso.bytes, VDSO_ADDRESS);

  it("musl's vdsosym finds every name with version LINUX_2.6, at code that makes the right syscall", () => {
    for (const [base, nr] of LINUX_EXPORTS) {
      for (const name of [`__vdso_${base}`, base]) {
        const address = muslVdsoSym(m, "LINUX_2.6", name);
        expect(address).toBe(VDSO_ADDRESS + vdso.symbols.get(name)!);
        expect(syscallByName(base)?.nr).toBe(nr);
        expect(codeAt(m, address)).toEqual([`mov eax,0x${nr.toString(16)}`, "syscall", "ret"]);
      }
    }
  });

  it("musl finds nothing under another version or another name", () => {
    expect(muslVdsoSym(m, "LINUX_2.5", "__vdso_clock_gettime")).toBe(0);
    expect(muslVdsoSym(m, "linux-vdso.so.1", "__vdso_clock_gettime")).toBe(0);
    expect(muslVdsoSym(m, "LINUX_2.6", "__vdso_getrandom")).toBe(0);
    expect(muslVdsoSym(m, "LINUX_2.6", "__vdso_clock_gettim")).toBe(0);
  });

  it("glibc's dl_vdso_vsym finds every name through DT_GNU_HASH and through DT_HASH", () => {
    for (const table of ["gnu", "sysv"] as const) {
      for (const name of ALL_NAMES) {
        expect(glibcVdsoVsym(m, name, "LINUX_2.6", GLIBC_VDSO_HASH, table)).toBe(VDSO_ADDRESS + vdso.symbols.get(name)!);
      }
      expect(glibcVdsoVsym(m, "__vdso_clock_gettime", "LINUX_2.6", GLIBC_VDSO_HASH + 1, table)).toBe(0);
      expect(glibcVdsoVsym(m, "__vdso_getrandom", "LINUX_2.6", GLIBC_VDSO_HASH, table)).toBe(0);
    }
  });

  it("Go's runtime finds its keys (with Go's own precomputed hashes) through DT_GNU_HASH, and old Go through DT_HASH", () => {
    const gnu = goVdsoLookup(m, "LINUX_2.6", GO_LINUX_VERSION_HASH, GO_KEYS.slice(1), "gnu");
    const sysv = goVdsoLookup(m, "LINUX_2.6", GO_LINUX_VERSION_HASH, GO_KEYS, "sysv");
    for (const key of GO_KEYS) {
      expect(sysv.get(key.name)).toBe(VDSO_ADDRESS + vdso.symbols.get(key.name)!);
      if (key.gnuHash !== 0) expect(gnu.get(key.name)).toBe(VDSO_ADDRESS + vdso.symbols.get(key.name)!);
    }
    // A wrong version hash means "cannot match any version", and then no symbol matches.
    expect(goVdsoLookup(m, "LINUX_2.6", GO_LINUX_VERSION_HASH ^ 1, GO_KEYS.slice(1)).size).toBe(0);
  });

  it("works wherever the image is mapped: every address moves with the base", () => {
    for (const base of [0x1000, 0x7f0000000000, 0x7ffffffde000]) {
      const moved = new MappedImage(vdso.bytes, base);
      expect(muslVdsoSym(moved, "LINUX_2.6", "time")).toBe(base + vdso.symbols.get("time")!);
      expect(glibcVdsoVsym(moved, "time", "LINUX_2.6", GLIBC_VDSO_HASH)).toBe(base + vdso.symbols.get("time")!);
    }
  });

  it("the default function table is Linux's", () => {
    expect(LINUX_VDSO_FUNCTIONS.map((f) => [f.aliases?.[0], f.syscall])).toEqual(LINUX_EXPORTS);
    expect(LINUX_VDSO_FUNCTIONS.map((f) => f.name)).toEqual(LINUX_EXPORTS.map(([name]) => `__vdso_${name}`));
  });
});

describe("buildVdso: bad options", () => {
  const cases: [string, Parameters<typeof buildVdso>[0], RegExp][] = [
    ["an empty name", { functions: [{ name: "", syscall: 1 }] }, /symbol name "" must be a non-empty string/],
    ["a name with a space", { functions: [{ name: "a b", syscall: 1 }] }, /"a b" must be .* printable ASCII without spaces/],
    ["a name with a NUL", { functions: [{ name: "a\0b", syscall: 1 }] }, /printable ASCII/],
    ["a duplicate name", { functions: [{ name: "f", syscall: 1 }, { name: "g", aliases: ["f"], syscall: 2 }] }, /"f" is exported twice/],
    ["a negative syscall", { functions: [{ name: "f", syscall: -1 }] }, /"f": syscall number -1 is not an integer from 0 to 2\^31-1/],
    ["a fractional syscall", { functions: [{ name: "f", syscall: 1.5 }] }, /syscall number 1.5/],
    ["a huge syscall", { functions: [{ name: "f", syscall: 2 ** 31 }] }, /syscall number 2147483648/],
    ["an empty version", { version: "" }, /the version "" must be/],
    ["a soname with a space", { soname: "linux vdso" }, /the soname "linux vdso"/],
    ["a Linux version out of range", { linuxVersion: [5, 256, 0] }, /Linux version \[5, 256, 0\] must be three integers from 0 to 255/],
  ];
  for (const [what, options, message] of cases) {
    it(`rejects ${what} with a VdsoError`, () => {
      expect(() => buildVdso(options)).toThrow(VdsoError);
      expect(() => buildVdso(options)).toThrow(message);
    });
  }
});
