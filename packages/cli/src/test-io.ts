// For tests: runs the CLI in-process with captured output, as `nanots ARGV` would run.
import type { Io } from "./io.js";
import { main } from "./main.js";

/** What a run of the CLI printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `nanots ...argv` with this standard input, working directory and terminal flag. */
export async function runCli(argv: string[], options: { stdin?: Uint8Array; cwd: string; tty?: boolean }): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => out.push(typeof t === "string" ? t : Buffer.from(t).toString()),
    stderr: (t) => err.push(t),
    stdin: () => options.stdin ?? new Uint8Array(0),
    stderrIsTTY: options.tty === true,
    cwd: options.cwd,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}
