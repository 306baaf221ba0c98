// Just enough ELF64 reading to find executable sections and symbols.

/** An executable section of an ELF file. */
export interface ElfSection {
  /** Index in the section header table. */
  index: number;
  name: string;
  address: number;
  offset: number;
  size: number;
}

/** A symbol that labels an address in an executable section. */
export interface ElfSymbol {
  /** Index of the section the symbol belongs to. */
  section: number;
  name: string;
  address: number;
}

/** The executable sections and symbols of an ELF64 little-endian file. */
export interface ElfImage {
  sections: ElfSection[];
  symbols: ElfSymbol[];
}

/** A malformed or unsupported ELF file; the message says what and where. */
export class ElfError extends Error {
  override name = "ElfError";
}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHT_DYNSYM = 11;
const SHF_EXECINSTR = 4;

/** Reads an ELF64 little-endian x86-64 file's executable sections and symbols. Throws ElfError. */
export function readElf(bytes: Uint8Array): ElfImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string): void => {
    if (end > bytes.length) throw new ElfError(`truncated ELF: ${what} ends at byte ${end}, file has ${bytes.length}`);
  };
  need(64, "ELF header");
  if (view.getUint32(0) !== 0x7f454c46) throw new ElfError("not an ELF file (bad magic at byte 0)");
  if (bytes[4] !== 2 || bytes[5] !== 1) throw new ElfError("only 64-bit little-endian ELF is supported (bytes 4-5)");
  const machine = view.getUint16(18, true);
  if (machine !== 62) throw new ElfError(`e_machine is ${machine}, not x86-64 (62)`);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const shoff = u64(0x28);
  const shentsize = view.getUint16(0x3a, true);
  const shnum = view.getUint16(0x3c, true);
  const shstrndx = view.getUint16(0x3e, true);
  if (shnum > 0 && shentsize < 64) throw new ElfError(`e_shentsize ${shentsize} is smaller than 64`);
  need(shoff + shnum * shentsize, "section header table");
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      flags: u64(at + 8),
      address: u64(at + 0x10),
      offset: u64(at + 0x18),
      size: u64(at + 0x20),
      link: view.getUint32(at + 0x28, true),
      entsize: u64(at + 0x38),
    };
  };
  const headers = Array.from({ length: shnum }, (_, i) => header(i));
  const strings = (table: number, at: number): string => {
    const h = headers[table];
    if (h === undefined) return "";
    let end = h.offset + at;
    while (end < bytes.length && end < h.offset + h.size && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(h.offset + at, end));
  };
  const sections: ElfSection[] = [];
  headers.forEach((h, index) => {
    if ((h.flags & SHF_EXECINSTR) === 0 || h.type === SHT_NOBITS) return;
    need(h.offset + h.size, `section at offset ${h.offset}`);
    sections.push({ index, name: strings(shstrndx, h.name), address: h.address, offset: h.offset, size: h.size });
  });
  const symbols: ElfSymbol[] = [];
  const symtab = headers.find((h) => h.type === SHT_SYMTAB) ?? headers.find((h) => h.type === SHT_DYNSYM);
  if (symtab !== undefined && symtab.entsize >= 24) {
    need(symtab.offset + symtab.size, "symbol table");
    for (let at = symtab.offset; at + 24 <= symtab.offset + symtab.size; at += symtab.entsize) {
      const type = bytes[at + 4]! & 15;
      const shndx = view.getUint16(at + 6, true);
      if (shndx === 0 || type > 2) continue; // undefined, or not NOTYPE/OBJECT/FUNC
      const name = strings(symtab.link, view.getUint32(at, true));
      if (name !== "") symbols.push({ section: shndx, name, address: u64(at + 8) });
    }
  }
  symbols.sort((a, b) => a.address - b.address);
  return { sections, symbols };
}
