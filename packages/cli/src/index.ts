// Public API of @nanots/cli: re-exports only.
export type { Command } from "./command.js";
export { commands } from "./commands.js";
export { processIo, type Io } from "./io.js";
export { helpText, main } from "./main.js";
export { parseArgs, type OptionSpec, type ParsedArgs } from "./parse-args.js";
export { ProgressBar } from "./progress-bar.js";
export { UsageError } from "./usage-error.js";
