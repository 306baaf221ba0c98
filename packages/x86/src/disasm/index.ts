export { disassembleElf, type DisassembleOptions } from "./disassemble-elf.js";
export { ElfError, readElf, type ElfImage, type ElfSection, type ElfSymbol } from "./elf.js";
export { formatIntel, hex64, type Symbolizer } from "./format-intel.js";
export { formatAtt } from "./format-att.js";
