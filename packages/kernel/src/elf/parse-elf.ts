import { ElfError } from "./elf-error.js";
import {
  ELF64_HEADER_SIZE,
  ELF64_PHDR_SIZE,
  EM_X86_64,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_REL,
  MAX_INTERP_LENGTH,
  MAX_PHNUM,
  PF_R,
  PF_W,
  PF_X,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  PT_PHDR,
  PT_TLS,
} from "./elf-constants.js";
import { PAGE_SIZE, USER_SPACE_END } from "./address-limits.js";
import type { ElfImage, LoadSegment, TlsTemplate } from "./elf-image.js";

const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: "i386",
  8: "MIPS",
  20: "PowerPC",
  21: "PowerPC64",
  22: "s390",
  40: "ARM",
  43: "SPARC v9",
  50: "IA-64",
  183: "AArch64",
  243: "RISC-V",
  258: "LoongArch",
};

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Little-endian field reader that refuses to read past the end and values a number cannot hold. */
class Fields {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(at: number): number {
    return this.view.getUint8(at);
  }

  u16(at: number): number {
    return this.view.getUint16(at, true);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  /** A 64-bit field as a number; values of 2^53 and above are never sane here. */
  u64(at: number, what: string): number {
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (hi >= 0x200000) {
      const full = (BigInt(hi) << 32n) | BigInt(lo);
      throw new ElfError("malformed", `${what} is 0x${full.toString(16)}, far beyond any x86-64 address or file size`, at);
    }
    return hi * 0x100000000 + lo;
  }
}

interface RawPhdr {
  index: number;
  at: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

const isPowerOfTwoOrZero = (n: number): boolean => n === 0 || (n > 0 && 2 ** Math.round(Math.log2(n)) === n);

function checkHeaderIdentity(f: Fields): void {
  const b = f.bytes;
  if (b.length >= 4 && !(b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46)) {
    const got = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, "0")).join(" ");
    throw new ElfError("not-elf", `not an ELF file: the first bytes are ${got}, not 7f 45 4c 46 ("\\x7fELF")`, 0);
  }
  if (b.length < ELF64_HEADER_SIZE) {
    if (b.length < 4) throw new ElfError("not-elf", `not an ELF file: only ${b.length} bytes long`, 0);
    // The class byte tells a 32-bit ELF apart even when the 64-byte header is cut short.
    if (b.length > 4 && b[4] === 1) throw new ElfError("unsupported", "the file is a 32-bit ELF; nanots runs x86-64 programs only", 4);
    throw new ElfError("truncated", `truncated ELF header: the file has ${b.length} bytes, the header needs ${ELF64_HEADER_SIZE}`, b.length);
  }
  const elfClass = f.u8(4);
  if (elfClass === 1) throw new ElfError("unsupported", "the file is a 32-bit ELF; nanots runs x86-64 programs only", 4);
  if (elfClass !== 2) throw new ElfError("malformed", `bad ELF class ${elfClass} at byte 4 (1 = 32-bit, 2 = 64-bit)`, 4);
  const data = f.u8(5);
  if (data === 2) throw new ElfError("unsupported", "the file is a big-endian ELF; x86-64 programs are little-endian", 5);
  if (data !== 1) throw new ElfError("malformed", `bad ELF data encoding ${data} at byte 5 (1 = little-endian)`, 5);
  const version = f.u8(6);
  if (version !== 1) throw new ElfError("malformed", `bad ELF identification version ${version} at byte 6 (expected 1)`, 6);
  const machine = f.u16(18);
  if (machine !== EM_X86_64) {
    const name = MACHINE_NAMES[machine];
    throw new ElfError(
      "unsupported",
      `the file is an ELF for ${name ?? `machine ${machine}`} (e_machine ${machine}); nanots runs x86-64 programs only`,
      18,
    );
  }
}

function checkType(type: number): "exec" | "dyn" {
  switch (type) {
    case ET_EXEC:
      return "exec";
    case ET_DYN:
      return "dyn";
    case ET_REL:
      throw new ElfError("unsupported", "the file is a relocatable object (.o), not a program: link it into an executable first", 16);
    case ET_CORE:
      throw new ElfError("unsupported", "the file is a core dump, not a program", 16);
    default:
      throw new ElfError("malformed", `unknown ELF type ${type} at byte 16 (expected 2 = executable or 3 = shared/PIE)`, 16);
  }
}

function readProgramHeaders(f: Fields, phoff: number, phnum: number): RawPhdr[] {
  const out: RawPhdr[] = [];
  for (let index = 0; index < phnum; index++) {
    const at = phoff + index * ELF64_PHDR_SIZE;
    const name = `program header ${index}`;
    out.push({
      index,
      at,
      type: f.u32(at),
      flags: f.u32(at + 4),
      offset: f.u64(at + 8, `${name} p_offset`),
      vaddr: f.u64(at + 16, `${name} p_vaddr`),
      filesz: f.u64(at + 32, `${name} p_filesz`),
      memsz: f.u64(at + 40, `${name} p_memsz`),
      align: f.u64(at + 48, `${name} p_align`),
    });
  }
  return out;
}

function describe(p: RawPhdr, kind: string): string {
  return `program header ${p.index} (${kind}, at byte ${p.at})`;
}

function checkFileRange(p: RawPhdr, kind: string, fileSize: number): void {
  if (p.offset + p.filesz > fileSize) {
    throw new ElfError(
      "malformed",
      `${describe(p, kind)} takes file bytes ${hex(p.offset)}..${hex(p.offset + p.filesz)}, outside the ${fileSize}-byte file`,
      p.at,
    );
  }
}

function checkLoad(p: RawPhdr, fileSize: number): LoadSegment {
  const what = describe(p, "PT_LOAD");
  checkFileRange(p, "PT_LOAD", fileSize);
  if (p.filesz > p.memsz) {
    throw new ElfError("malformed", `${what} has p_filesz ${hex(p.filesz)} larger than p_memsz ${hex(p.memsz)}`, p.at);
  }
  if (p.vaddr + p.memsz > USER_SPACE_END) {
    throw new ElfError("malformed", `${what} spans ${hex(p.vaddr)}..${hex(p.vaddr + p.memsz)}, beyond the 47-bit user address space`, p.at);
  }
  if (!isPowerOfTwoOrZero(p.align)) {
    throw new ElfError("malformed", `${what} has p_align ${p.align}, which is not a power of two`, p.at);
  }
  // A page is mapped from the file page that holds the same in-page offset, so both must agree.
  if (p.filesz > 0 && p.vaddr % PAGE_SIZE !== p.offset % PAGE_SIZE) {
    throw new ElfError(
      "malformed",
      `${what} maps file offset ${hex(p.offset)} at address ${hex(p.vaddr)}: they differ within a 4 KiB page, so it cannot be mapped`,
      p.at,
    );
  }
  return {
    index: p.index,
    vaddr: p.vaddr,
    memsz: p.memsz,
    offset: p.offset,
    filesz: p.filesz,
    align: p.align,
    prot: { read: (p.flags & PF_R) !== 0, write: (p.flags & PF_W) !== 0, execute: (p.flags & PF_X) !== 0 },
  };
}

function checkInterp(f: Fields, p: RawPhdr): string {
  const what = describe(p, "PT_INTERP");
  checkFileRange(p, "PT_INTERP", f.bytes.length);
  if (p.filesz < 2 || p.filesz > MAX_INTERP_LENGTH) {
    throw new ElfError("malformed", `${what} has a ${p.filesz}-byte path; expected 2 to ${MAX_INTERP_LENGTH} bytes ending in NUL`, p.at);
  }
  const raw = f.bytes.subarray(p.offset, p.offset + p.filesz);
  const nul = raw.indexOf(0);
  if (nul !== raw.length - 1) {
    throw new ElfError(
      "malformed",
      nul < 0 ? `${what}: the interpreter path is not NUL-terminated` : `${what}: the interpreter path has a NUL byte inside it`,
      p.offset,
    );
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(raw.subarray(0, nul));
}

function checkTls(p: RawPhdr, fileSize: number): TlsTemplate {
  const what = describe(p, "PT_TLS");
  checkFileRange(p, "PT_TLS", fileSize);
  if (p.filesz > p.memsz) {
    throw new ElfError("malformed", `${what} has p_filesz ${hex(p.filesz)} larger than p_memsz ${hex(p.memsz)}`, p.at);
  }
  if (!isPowerOfTwoOrZero(p.align)) {
    throw new ElfError("malformed", `${what} has p_align ${p.align}, which is not a power of two`, p.at);
  }
  return { vaddr: p.vaddr, offset: p.offset, filesz: p.filesz, memsz: p.memsz, align: Math.max(1, p.align) };
}

function checkNoOverlap(segments: LoadSegment[]): void {
  for (let i = 1; i < segments.length; i++) {
    const a = segments[i - 1] as LoadSegment;
    const b = segments[i] as LoadSegment;
    if (b.vaddr < a.vaddr + a.memsz) {
      throw new ElfError(
        "malformed",
        `PT_LOAD segments overlap: program header ${a.index} covers ${hex(a.vaddr)}..${hex(a.vaddr + a.memsz)} and program header ${b.index} starts at ${hex(b.vaddr)}`,
      );
    }
  }
}

function findPhdrAddress(phdrs: RawPhdr[], segments: LoadSegment[], phoff: number, tableSize: number): number | undefined {
  const own = phdrs.find((p) => p.type === PT_PHDR);
  if (own) return own.vaddr;
  const holder = segments.find((s) => s.offset <= phoff && phoff + tableSize <= s.offset + s.filesz);
  return holder ? holder.vaddr + (phoff - holder.offset) : undefined;
}

/**
 * Reads and validates an x86-64 ELF program (ET_EXEC or ET_DYN) and returns what a loader
 * needs: entry, program header location, PT_LOAD segments, interpreter, stack and TLS.
 *
 * Pure: it only reads `bytes`. Anything that is not a loadable x86-64 program (a 32-bit or
 * foreign ELF, truncated headers, segments outside the file or overlapping, absurd counts)
 * throws {@link ElfError} with a one-line message; nothing else is ever thrown.
 *
 * @example
 * ```ts
 * const image = parseElf(new Uint8Array(readFileSync("./hello")));
 * console.log(image.entry.toString(16), image.interpreter ?? "static");
 * ```
 */
export function parseElf(bytes: Uint8Array): ElfImage {
  const f = new Fields(bytes);
  checkHeaderIdentity(f);
  const type = checkType(f.u16(16));
  const entry = f.u64(24, "e_entry");
  const phoff = f.u64(32, "e_phoff");
  const phent = f.u16(54);
  const phnum = f.u16(56);

  if (phnum === 0) throw new ElfError("malformed", "the ELF has no program headers, so there is nothing to load", 56);
  if (phnum > MAX_PHNUM) {
    throw new ElfError("malformed", `absurd program header count ${phnum} at byte 56 (at most ${MAX_PHNUM})`, 56);
  }
  if (phent !== ELF64_PHDR_SIZE) {
    throw new ElfError("malformed", `program header size e_phentsize is ${phent} at byte 54; ELF64 headers are ${ELF64_PHDR_SIZE} bytes`, 54);
  }
  const tableSize = phnum * ELF64_PHDR_SIZE;
  if (phoff + tableSize > bytes.length) {
    throw new ElfError(
      "truncated",
      `truncated program headers: ${phnum} headers at byte ${phoff} need ${phoff + tableSize} bytes, the file has ${bytes.length}`,
      phoff,
    );
  }

  const phdrs = readProgramHeaders(f, phoff, phnum);
  const segments: LoadSegment[] = [];
  let interpreter: string | undefined;
  let tls: TlsTemplate | undefined;
  let executableStack = false;
  for (const p of phdrs) {
    if (p.type === PT_LOAD) {
      const segment = checkLoad(p, bytes.length);
      if (segment.memsz > 0) segments.push(segment);
    } else if (p.type === PT_INTERP) {
      if (interpreter !== undefined) throw new ElfError("malformed", `${describe(p, "PT_INTERP")} is a second PT_INTERP`, p.at);
      interpreter = checkInterp(f, p);
    } else if (p.type === PT_TLS) {
      if (tls !== undefined) throw new ElfError("malformed", `${describe(p, "PT_TLS")} is a second PT_TLS`, p.at);
      tls = checkTls(p, bytes.length);
    } else if (p.type === PT_GNU_STACK) {
      executableStack = (p.flags & PF_X) !== 0;
    }
  }
  if (segments.length === 0) throw new ElfError("malformed", "the ELF has no PT_LOAD segment with memory, so there is nothing to load");
  segments.sort((a, b) => a.vaddr - b.vaddr);
  checkNoOverlap(segments);

  const first = segments[0] as LoadSegment;
  const last = segments[segments.length - 1] as LoadSegment;
  if (!segments.some((s) => entry >= s.vaddr && entry < s.vaddr + s.memsz)) {
    throw new ElfError("malformed", `the entry point ${hex(entry)} (e_entry, byte 24) is outside every PT_LOAD segment`, 24);
  }
  return {
    type,
    pie: type === "dyn",
    entry,
    phoff,
    phent,
    phnum,
    phdrAddress: findPhdrAddress(phdrs, segments, phoff, tableSize),
    segments,
    loadStart: first.vaddr - (first.vaddr % PAGE_SIZE),
    loadEnd: last.vaddr + last.memsz,
    interpreter,
    executableStack,
    tls,
  };
}
