import { commands } from "./commands.js";
import type { Io } from "./io.js";
import { UsageError } from "./usage-error.js";

/** The top-level help text. */
export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: nanots <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

/**
 * Runs `nanots` with the given arguments (without the program name); resolves to the exit
 * code. Usage errors print the message and the command's usage on stderr and exit 1; host
 * I/O errors (a missing directory, an unreadable image) print their message and exit 1.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "-h" || name === "--help") {
    (name === undefined ? io.stderr : io.stdout)(helpText());
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr(`nanots: unknown command '${name}'\n${helpText()}`);
    return 1;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`nanots ${name}: ${e.message}\nusage: ${command.usage}\n`);
      return 1;
    }
    // A host file that cannot be opened, read or written: say so, without a stack trace.
    if (e instanceof Error && typeof (e as { code?: unknown }).code === "string") {
      io.stderr(`nanots ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
