import type { Io } from "./io.js";

/** One `nanots` sub-command. */
export interface Command {
  /** One line for `nanots help`. */
  summary: string;
  /** The usage line(s), printed after a usage error. */
  usage: string;
  /** Runs the command; resolves to the exit code. */
  run(args: readonly string[], io: Io): number | Promise<number>;
}
