// objdump -d layout for the executable sections of an ELF file.
import { DecodedInstruction } from "../decoder/decoded-instruction.js";
import { decode } from "../decoder/decode.js";
import { type ElfSymbol, readElf } from "./elf.js";
import { formatAtt } from "./format-att.js";
import { formatIntel } from "./format-intel.js";

/** Options of {@link disassembleElf}. */
export interface DisassembleOptions {
  /** "intel" (objdump -M intel, the default here) or "att" (objdump's own default). */
  syntax?: "intel" | "att";
  /** File name printed in the header line, as objdump does. */
  fileName?: string;
}

const BYTES_PER_LINE = 7;

function hexBytes(code: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += code[i]!.toString(16).padStart(2, "0") + " ";
  return s;
}

/** Nearest symbol at or below an address, as "name" or "name+0x10". */
function symbolizer(symbols: ElfSymbol[]): (address: number) => string | undefined {
  return (address) => {
    let lo = 0;
    let hi = symbols.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (symbols[mid]!.address <= address) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    const s = symbols[best]!;
    return address === s.address ? s.name : `${s.name}+0x${(address - s.address).toString(16)}`;
  };
}

/**
 * Disassembles every executable section of an ELF64 x86-64 file in `objdump -d [-M intel]`
 * layout: section headers, `<symbol>:` labels, then `address:` bytes (seven per line) and text.
 * Throws ElfError for a malformed file; undecodable bytes print as "(bad)".
 */
export function disassembleElf(bytes: Uint8Array, options: DisassembleOptions = {}): string {
  const { sections, symbols } = readElf(bytes);
  const out: string[] = ["", `${options.fileName ?? "a.out"}:     file format elf64-x86-64`, ""];
  const ins = new DecodedInstruction();
  const format = options.syntax === "att" ? formatAtt : formatIntel;
  for (const section of sections) {
    out.push("", `Disassembly of section ${section.name}:`);
    const own = symbols.filter((s) => s.section === section.index);
    const label = symbolizer(own);
    const byAddress = new Map<number, string>();
    for (const s of own) if (!byAddress.has(s.address)) byAddress.set(s.address, s.name);
    // objdump drops leading zero digits of addresses four at a time, keeping at least four.
    const digits = (section.address + section.size).toString(16).length;
    const width = Math.max(4, Math.ceil(digits / 4) * 4);
    const code = bytes.subarray(section.offset, section.offset + section.size);
    let pos = 0;
    while (pos < code.length) {
      const address = section.address + pos;
      const name = byAddress.get(address) ?? (pos === 0 ? section.name : undefined);
      if (name !== undefined) out.push("", `${address.toString(16).padStart(16, "0")} <${name}>:`);
      decode(ins, code, pos, address);
      const length = ins.error === 0 ? ins.length : 1;
      const addr = `${address.toString(16).padStart(width)}:\t`;
      const first = Math.min(length, BYTES_PER_LINE);
      out.push(`${addr}${hexBytes(code, pos, pos + first).padEnd(BYTES_PER_LINE * 3)}\t${format(ins, label)}`);
      for (let i = first; i < length; i += BYTES_PER_LINE) {
        out.push(`${(address + i).toString(16).padStart(width)}:\t${hexBytes(code, pos + i, pos + Math.min(length, i + BYTES_PER_LINE))}`);
      }
      pos += length;
    }
  }
  return out.join("\n") + "\n";
}
