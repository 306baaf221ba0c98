import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { disassembleElf, ElfError } from "@nanots/x86";
import type { Command } from "../command.js";
import { parseArgs } from "../parse-args.js";
import { UsageError } from "../usage-error.js";

/** `nanots disasm`: the executable sections of an ELF file in `objdump -d -M intel` layout. */
export const disasmCommand: Command = {
  summary: "disassemble an x86-64 ELF file's code like objdump -d -M intel (--att: like objdump -d)",
  usage: "nanots disasm [--att] FILE",
  run(args, io) {
    // --att selects objdump's default AT&T syntax; Intel syntax is ours by default.
    const att = args.includes("--att");
    const parsed = parseArgs(
      args.filter((a) => a !== "--att"),
      {},
    );
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
      io.stdout(disassembleElf(bytes, { fileName: name, syntax: att ? "att" : "intel" }));
      return 0;
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      io.stderr(`disasm: ${name}: ${e.message}\n`);
      return 1;
    }
  },
};
