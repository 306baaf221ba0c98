import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { disassembleElf, ElfError } from "@nanots/x86";
import type { Command } from "../command.js";
import { parseArgs } from "../parse-args.js";
import { UsageError } from "../usage-error.js";

/** `nanots disasm`: the executable sections of an ELF file in `objdump -d -M intel` layout. */
export const disasmCommand: Command = {
  summary: "disassemble an x86-64 ELF file's code like objdump -d -M intel",
  usage: "nanots disasm FILE",
  run(args, io) {
    const parsed = parseArgs(args, {});
    if (parsed.operands.length !== 1) throw new UsageError(parsed.operands.length === 0 ? "missing FILE" : "too many operands");
    const name = parsed.operands[0]!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(resolve(io.cwd, name));
    } catch (e) {
      io.stderr(`disasm: cannot open ${name}: ${(e as Error).message}\n`);
      return 1;
    }
    try {
      io.stdout(disassembleElf(bytes, { fileName: name }));
      return 0;
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      io.stderr(`disasm: ${name}: ${e.message}\n`);
      return 1;
    }
  },
};
