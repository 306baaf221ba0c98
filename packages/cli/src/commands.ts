import type { Command } from "./command.js";
import { disasmCommand } from "./commands/disasm.js";
import { dumpCommand } from "./commands/dump.js";
import { mkfsCommand } from "./commands/mkfs.js";
import { runCommand } from "./commands/run.js";

/** Every `nanots` sub-command, one line each. */
export const commands: Record<string, Command> = {
  run: runCommand,
  mkfs: mkfsCommand,
  dump: dumpCommand,
  disasm: disasmCommand,
};
