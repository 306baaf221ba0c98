import { readFileSync } from "node:fs";

/** What a command may touch of its process: output streams, stdin, the cwd. Tests fake it. */
export interface Io {
  /** Writes to standard output. */
  stdout(text: string | Uint8Array): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads all of standard input. */
  stdin(): Uint8Array;
  /** True when standard error is a terminal (progress bars go there). */
  readonly stderrIsTTY: boolean;
  /** The working directory relative paths are resolved against. */
  readonly cwd: string;
}

/** The real process's streams. */
export function processIo(): Io {
  // A reader that goes away (`nanots run prog | head`) ends us quietly, as SIGPIPE ends a
  // native program: exit status 128 + 13, no stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(141);
      throw e;
    });
  }
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: () => readFileSync(0),
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}
