// Builds small ELF64 files in memory for tests: a valid static x86-64 program by default,
// with any header field or program header overridden to produce a broken one.
import { ELF64_HEADER_SIZE, ELF64_PHDR_SIZE, EM_X86_64, ET_EXEC, PF_R, PF_X, PT_LOAD } from "./elf-constants.js";

/** One program header of a test ELF. */
export interface TestPhdr {
  type: number;
  flags?: number;
  offset?: number;
  vaddr?: number;
  filesz?: number;
  memsz?: number;
  align?: number;
}

/** Header fields and program headers of a test ELF; anything left out gets a valid value. */
export interface TestElf {
  elfClass?: number;
  data?: number;
  type?: number;
  machine?: number;
  entry?: number;
  phoff?: number;
  phentsize?: number;
  phnum?: number;
  phdrs?: TestPhdr[];
  /** Total file size (default: enough for the headers and 8 KiB of segment data). */
  size?: number;
  /** Bytes written at file offsets, after the headers. */
  patches?: { at: number; bytes: Uint8Array }[];
}

/** A one-segment static program: text at 0x400000 from file offset 0, entry inside it. */
export const DEFAULT_PHDRS: TestPhdr[] = [
  { type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0x400000, filesz: 0x2000, memsz: 0x2000, align: 0x1000 },
];

/** Encodes `spec` as ELF bytes. */
export function makeElf(spec: TestElf = {}): Uint8Array {
  const phdrs = spec.phdrs ?? DEFAULT_PHDRS;
  const phoff = spec.phoff ?? ELF64_HEADER_SIZE;
  const size = spec.size ?? Math.max(0x2000, phoff + phdrs.length * ELF64_PHDR_SIZE);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const u64 = (at: number, v: number): void => {
    if (at + 8 > size) return;
    view.setBigUint64(at, BigInt(v), true);
  };
  const u32 = (at: number, v: number): void => {
    if (at + 4 <= size) view.setUint32(at, v, true);
  };
  const u16 = (at: number, v: number): void => {
    if (at + 2 <= size) view.setUint16(at, v, true);
  };
  bytes.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 2, spec.data ?? 1, 1].slice(0, size));
  u16(16, spec.type ?? ET_EXEC);
  u16(18, spec.machine ?? EM_X86_64);
  u32(20, 1);
  u64(24, spec.entry ?? 0x401000);
  u64(32, phoff);
  u16(52, ELF64_HEADER_SIZE);
  u16(54, spec.phentsize ?? ELF64_PHDR_SIZE);
  u16(56, spec.phnum ?? phdrs.length);
  phdrs.forEach((p, i) => {
    const at = phoff + i * ELF64_PHDR_SIZE;
    u32(at, p.type);
    u32(at + 4, p.flags ?? PF_R);
    u64(at + 8, p.offset ?? 0);
    u64(at + 16, p.vaddr ?? 0);
    u64(at + 24, p.vaddr ?? 0);
    u64(at + 32, p.filesz ?? 0);
    u64(at + 40, p.memsz ?? p.filesz ?? 0);
    u64(at + 48, p.align ?? 0);
  });
  for (const patch of spec.patches ?? []) bytes.set(patch.bytes, patch.at);
  return bytes;
}
