import { UsageError } from "./usage-error.js";

/** How each single-letter option behaves: a switch, a value, or a value that may repeat. */
export type OptionSpec = Record<string, "flag" | "value" | "list">;

/** Parsed arguments: options by letter, and the operands in order. */
export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
  operands: string[];
}

/**
 * Parses POSIX-style short options (`-e`, `-l label`, `-llabel`, grouped `-et`, `--` ends
 * options). Unknown options and missing values are {@link UsageError}s.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const parsed: ParsedArgs = { flags: new Set(), values: new Map(), lists: new Map(), operands: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      parsed.operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      parsed.operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      const kind = spec[letter];
      if (kind === undefined) throw new UsageError(`unknown option -${letter}`);
      if (kind === "flag") {
        parsed.flags.add(letter);
        continue;
      }
      let value = arg.slice(j + 1);
      if (value === "") {
        if (i + 1 >= argv.length) throw new UsageError(`option -${letter} needs a value`);
        value = argv[++i]!;
      }
      if (kind === "value") parsed.values.set(letter, value);
      else parsed.lists.set(letter, [...(parsed.lists.get(letter) ?? []), value]);
      break;
    }
  }
  return parsed;
}
