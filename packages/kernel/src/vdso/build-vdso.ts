import { ELF64_HEADER_SIZE, ELF64_PHDR_SIZE, EM_X86_64, ET_DYN, PF_R, PF_X, PT_DYNAMIC, PT_LOAD } from "../elf/elf-constants.js";
import {
  DT,
  DYN_SIZE,
  PT_NOTE,
  SHDR_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHT,
  STB_GLOBAL,
  STB_WEAK,
  STT_FUNC,
  SYM_SIZE,
} from "./dynamic-constants.js";
import { buildGnuHashTable } from "./gnu-hash-table.js";
import { linuxNote } from "./linux-note.js";
import { StringTable } from "./string-table.js";
import { SYSCALL_STUB_SIZE, syscallStub } from "./syscall-stub.js";
import { buildSysvHashTable } from "./sysv-hash-table.js";
import { VdsoError } from "./vdso-error.js";
import { versionDefinitions } from "./version-definitions.js";
import { LINUX_VDSO_FUNCTIONS, type VdsoFunction } from "./vdso-function.js";

/** The symbol version Linux's x86-64 vDSO defines and its users ask for. */
export const LINUX_VDSO_VERSION = "LINUX_2.6";
/** The vDSO's DT_SONAME; glibc names the object by it (`ldd` prints it). */
export const LINUX_VDSO_SONAME = "linux-vdso.so.1";
/** The kernel version of the "Linux" note: 5.0.0, as Nanos's uname release ("5.0-…") says. */
export const NANOS_LINUX_VERSION: readonly [number, number, number] = [5, 0, 0];

const PAGE = 4096;
/** Code slots are 16 bytes apart, as compilers align functions; the gaps hold int3. */
const SLOT = 16;

/** What to put in the vDSO; every field has Linux's x86-64 value by default. */
export interface VdsoOptions {
  /** Functions to export (default {@link LINUX_VDSO_FUNCTIONS}). */
  readonly functions?: readonly VdsoFunction[];
  /** The version every exported symbol carries (default `LINUX_2.6`). */
  readonly version?: string;
  /** DT_SONAME and the base version's name (default `linux-vdso.so.1`). */
  readonly soname?: string;
  /**
   * `[major, minor, patch]` for the PT_NOTE "Linux" note that older glibc reads to learn the
   * kernel version (default {@link NANOS_LINUX_VERSION}); `null` leaves the note out.
   */
  readonly linuxVersion?: readonly [number, number, number] | null;
}

/** A built vDSO image. */
export interface Vdso {
  /**
   * The ELF shared object, linked at address 0 with file offsets equal to addresses: copy it
   * to a page-aligned address, map it read+execute, and pass that address as AT_SYSINFO_EHDR.
   */
  readonly bytes: Uint8Array;
  /** Bytes to map: `bytes.length` rounded up to whole 4 KiB pages. */
  readonly mapSize: number;
  /** Every exported name (strong and weak) and the offset of its code from the image start. */
  readonly symbols: ReadonlyMap<string, number>;
}

interface Exported {
  readonly name: string;
  readonly bind: number;
  readonly slot: number;
}

interface Section {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly align: number;
  readonly size: number;
  readonly entsize?: number;
  readonly link?: string;
  readonly info?: number;
  /** Offset and address (equal), set by the layout. */
  at: number;
}

const NAME = /^[\x21-\x7e]+$/;

function checkName(name: unknown, what: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new VdsoError(`${what} ${JSON.stringify(name)} must be a non-empty string of printable ASCII without spaces`);
  }
}

function checkOptions(functions: readonly VdsoFunction[], version: string, soname: string, linuxVersion: readonly number[] | null): void {
  checkName(version, "the version");
  checkName(soname, "the soname");
  const seen = new Set<string>();
  for (const f of functions) {
    for (const name of [f.name, ...(f.aliases ?? [])]) {
      checkName(name, "the symbol name");
      if (seen.has(name)) throw new VdsoError(`the symbol name "${name}" is exported twice`);
      seen.add(name);
    }
    if (!Number.isInteger(f.syscall) || f.syscall < 0 || f.syscall > 0x7fffffff) {
      throw new VdsoError(`"${f.name}": syscall number ${f.syscall} is not an integer from 0 to 2^31-1`);
    }
  }
  if (linuxVersion !== null) {
    const [major, minor, patch] = linuxVersion;
    const ok = linuxVersion.length === 3 && [major, minor, patch].every((n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 255);
    if (!ok) throw new VdsoError(`the Linux version [${linuxVersion.join(", ")}] must be three integers from 0 to 255`);
  }
}

const alignUp = (n: number, align: number): number => Math.ceil(n / align) * align;

/** Writes a 64-bit field; every value here is far below 2^32. */
function setU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value >>> 0, true);
  view.setUint32(at + 4, Math.floor(value / 0x100000000), true);
}

/**
 * Builds the vDSO: a small x86-64 ELF shared object (ET_DYN, linked at 0) whose functions
 * each make one system call, exported with the names and the `LINUX_2.6` version that glibc,
 * musl and Go look up (`__vdso_clock_gettime`, `__vdso_gettimeofday`, `__vdso_time`,
 * `__vdso_getcpu`, `__vdso_clock_getres` and their weak plain aliases).
 *
 * The image has one PT_LOAD (r-x) covering the whole file, PT_DYNAMIC (r) and, unless
 * `linuxVersion` is `null`, PT_NOTE; its dynamic section has DT_HASH (musl and old Go need
 * it), DT_GNU_HASH (glibc and new Go prefer it), DT_SYMTAB, DT_STRTAB, DT_STRSZ, DT_SYMENT,
 * DT_VERSYM, DT_VERDEF and DT_SONAME; section headers name every part for debuggers.
 * Throws {@link VdsoError} for options that cannot make a valid image.
 *
 * @example
 * ```ts
 * const vdso = buildVdso();
 * memory.set(vdso.bytes, vdsoAddress); // page-aligned, mapped r-x, vdso.mapSize bytes
 * auxv.sysinfoEhdr = vdsoAddress;
 * vdso.symbols.get("__vdso_clock_gettime"); // offset of its code
 * ```
 */
export function buildVdso(options: VdsoOptions = {}): Vdso {
  const functions = options.functions ?? LINUX_VDSO_FUNCTIONS;
  const version = options.version ?? LINUX_VDSO_VERSION;
  const soname = options.soname ?? LINUX_VDSO_SONAME;
  const linuxVersion = options.linuxVersion === undefined ? NANOS_LINUX_VERSION : options.linuxVersion;
  checkOptions(functions, version, soname, linuxVersion);

  const text = new Uint8Array(SLOT * functions.length).fill(0xcc);
  functions.forEach((f, slot) => text.set(syscallStub(f.syscall), SLOT * slot));

  const exported: Exported[] = functions.flatMap((f, slot) => [
    { name: f.name, bind: STB_GLOBAL, slot },
    ...(f.aliases ?? []).map((name) => ({ name, bind: STB_WEAK, slot })),
  ]);
  // Entry 0 is the null symbol; the exported ones follow in the order DT_GNU_HASH needs.
  const gnuHash = buildGnuHashTable(exported.map((s) => s.name), 1);
  const symbols = gnuHash.order.map((k) => exported[k] as Exported);
  const symbolCount = 1 + symbols.length;
  const sysvHash = buildSysvHashTable(["", ...symbols.map((s) => s.name)]);

  const dynstr = new StringTable();
  const sonameAt = dynstr.add(soname);
  const versionAt = dynstr.add(version);
  const symbolNameAt = symbols.map((s) => dynstr.add(s.name));
  const dynstrBytes = dynstr.bytes();

  // Every exported symbol has version index 2 (`version`); the null symbol has 0 (local).
  const versym = new Uint8Array(2 * symbolCount);
  for (let i = 1; i < symbolCount; i++) versym[2 * i] = 2;
  const verdef = versionDefinitions([[soname, sonameAt], [version, versionAt]]);
  const note = linuxVersion === null ? undefined : linuxNote(linuxVersion);

  const dynamicTags = [DT.SONAME, DT.HASH, DT.GNU_HASH, DT.STRTAB, DT.SYMTAB, DT.STRSZ, DT.SYMENT, DT.VERSYM, DT.VERDEF, DT.VERDEFNUM, DT.NULL];
  const content = new Map<string, Uint8Array>([
    [".hash", sysvHash],
    [".gnu.hash", gnuHash.bytes],
    [".dynstr", dynstrBytes],
    [".gnu.version", versym],
    [".gnu.version_d", verdef],
    [".text", text],
  ]);
  if (note) content.set(".note", note);

  const A = SHF_ALLOC;
  const sections: Section[] = [
    { name: ".hash", type: SHT.HASH, flags: A, align: 8, size: sysvHash.length, entsize: 4, link: ".dynsym", at: 0 },
    { name: ".gnu.hash", type: SHT.GNU_HASH, flags: A, align: 8, size: gnuHash.bytes.length, link: ".dynsym", at: 0 },
    { name: ".dynsym", type: SHT.DYNSYM, flags: A, align: 8, size: SYM_SIZE * symbolCount, entsize: SYM_SIZE, link: ".dynstr", info: 1, at: 0 },
    { name: ".dynstr", type: SHT.STRTAB, flags: A, align: 1, size: dynstrBytes.length, at: 0 },
    { name: ".gnu.version", type: SHT.GNU_VERSYM, flags: A, align: 2, size: versym.length, entsize: 2, link: ".dynsym", at: 0 },
    { name: ".gnu.version_d", type: SHT.GNU_VERDEF, flags: A, align: 8, size: verdef.length, link: ".dynstr", info: 2, at: 0 },
    ...(note ? [{ name: ".note", type: SHT.NOTE, flags: A, align: 4, size: note.length, at: 0 }] : []),
    { name: ".dynamic", type: SHT.DYNAMIC, flags: A, align: 8, size: DYN_SIZE * dynamicTags.length, entsize: DYN_SIZE, link: ".dynstr", at: 0 },
    { name: ".text", type: SHT.PROGBITS, flags: A | SHF_EXECINSTR, align: SLOT, size: text.length, at: 0 },
  ];
  const shstrtab = new StringTable();
  const sectionNameAt = [".shstrtab", ...sections.map((s) => s.name)].map((n) => shstrtab.add(n));
  const shstrtabBytes = shstrtab.bytes();

  // Layout: headers, the loaded sections in order, the section names, the section headers.
  const phnum = note ? 3 : 2;
  let end = ELF64_HEADER_SIZE + ELF64_PHDR_SIZE * phnum;
  for (const s of sections) {
    s.at = alignUp(end, s.align);
    end = s.at + s.size;
  }
  const shstrtabAt = end;
  const shoff = alignUp(shstrtabAt + shstrtabBytes.length, 8);
  const shnum = 1 + sections.length + 1;
  const size = shoff + SHDR_SIZE * shnum;

  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const index = new Map(sections.map((s, i) => [s.name, i + 1]));
  const section = (name: string): Section => sections[(index.get(name) as number) - 1] as Section;
  const textSection = section(".text");

  // ELF header.
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* little-endian */, 1 /* EV_CURRENT */], 0);
  view.setUint16(16, ET_DYN, true);
  view.setUint16(18, EM_X86_64, true);
  view.setUint32(20, 1, true); // e_version
  setU64(view, 24, textSection.at); // e_entry: unused, but inside the image as loaders expect
  setU64(view, 32, ELF64_HEADER_SIZE); // e_phoff
  setU64(view, 40, shoff);
  view.setUint16(52, ELF64_HEADER_SIZE, true);
  view.setUint16(54, ELF64_PHDR_SIZE, true);
  view.setUint16(56, phnum, true);
  view.setUint16(58, SHDR_SIZE, true);
  view.setUint16(60, shnum, true);
  view.setUint16(62, shnum - 1, true); // e_shstrndx: .shstrtab is last

  // Program headers: offsets equal addresses, as musl and Go find PT_DYNAMIC by p_offset.
  const phdr = (i: number, type: number, flags: number, at: number, length: number, align: number): void => {
    const p = ELF64_HEADER_SIZE + ELF64_PHDR_SIZE * i;
    view.setUint32(p, type, true);
    view.setUint32(p + 4, flags, true);
    setU64(view, p + 8, at);
    setU64(view, p + 16, at);
    setU64(view, p + 24, at);
    setU64(view, p + 32, length);
    setU64(view, p + 40, length);
    setU64(view, p + 48, align);
  };
  const dynamic = section(".dynamic");
  phdr(0, PT_LOAD, PF_R | PF_X, 0, size, PAGE);
  phdr(1, PT_DYNAMIC, PF_R, dynamic.at, dynamic.size, 8);
  if (note) phdr(2, PT_NOTE, PF_R, section(".note").at, note.length, 4);

  for (const [name, data] of content) bytes.set(data, section(name).at);
  bytes.set(shstrtabBytes, shstrtabAt);

  // Symbols: entry 0 stays all zero.
  const dynsymAt = section(".dynsym").at;
  symbols.forEach((s, k) => {
    const at = dynsymAt + SYM_SIZE * (k + 1);
    const value = textSection.at + SLOT * s.slot;
    view.setUint32(at, symbolNameAt[k] as number, true);
    view.setUint8(at + 4, (s.bind << 4) | STT_FUNC);
    view.setUint8(at + 5, 0); // STV_DEFAULT: glibc ignores hidden symbols
    view.setUint16(at + 6, index.get(".text") as number, true);
    setU64(view, at + 8, value);
    setU64(view, at + 16, SYSCALL_STUB_SIZE);
  });

  const dynamicValue: Record<number, number> = {
    [DT.SONAME]: sonameAt,
    [DT.HASH]: section(".hash").at,
    [DT.GNU_HASH]: section(".gnu.hash").at,
    [DT.STRTAB]: section(".dynstr").at,
    [DT.SYMTAB]: dynsymAt,
    [DT.STRSZ]: dynstrBytes.length,
    [DT.SYMENT]: SYM_SIZE,
    [DT.VERSYM]: section(".gnu.version").at,
    [DT.VERDEF]: section(".gnu.version_d").at,
    [DT.VERDEFNUM]: 2,
    [DT.NULL]: 0,
  };
  dynamicTags.forEach((tag, i) => {
    setU64(view, dynamic.at + DYN_SIZE * i, tag);
    setU64(view, dynamic.at + DYN_SIZE * i + 8, dynamicValue[tag] as number);
  });

  // Section headers: entry 0 stays all zero; .shstrtab is not loaded, so its address is 0.
  const shdr = (i: number, s: Omit<Section, "name">, nameAt: number, address: number): void => {
    const at = shoff + SHDR_SIZE * i;
    view.setUint32(at, nameAt, true);
    view.setUint32(at + 4, s.type, true);
    setU64(view, at + 8, s.flags);
    setU64(view, at + 16, address);
    setU64(view, at + 24, s.at);
    setU64(view, at + 32, s.size);
    view.setUint32(at + 40, s.link === undefined ? 0 : (index.get(s.link) as number), true);
    view.setUint32(at + 44, s.info ?? 0, true);
    setU64(view, at + 48, s.align);
    setU64(view, at + 56, s.entsize ?? 0);
  };
  sections.forEach((s, i) => shdr(i + 1, s, sectionNameAt[i + 1] as number, s.at));
  shdr(shnum - 1, { type: SHT.STRTAB, flags: 0, align: 1, size: shstrtabBytes.length, at: shstrtabAt }, sectionNameAt[0] as number, 0);

  const offsets = new Map(exported.map((s) => [s.name, textSection.at + SLOT * s.slot]));
  return { bytes, mapSize: alignUp(size, PAGE), symbols: offsets };
}
