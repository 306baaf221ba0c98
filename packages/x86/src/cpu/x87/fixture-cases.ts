import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { F80 } from "./f80.js";

/** One case captured from the host CPU by fixtures/x87-oracle.c. */
export interface OracleCase {
  /** Line number in the fixture (1-based), for messages. */
  line: number;
  op: string;
  cw: number;
  a: F80;
  b: F80;
  r1: F80;
  r2: F80;
  /** Status word with TOP and B masked out. */
  sw: number;
}

/** Reads the committed host-CPU cases (test support; not part of the package API). */
export function readOracleCases(): OracleCase[] {
  const text = gunzipSync(readFileSync(new URL("./fixtures/x87-cases.txt.gz", import.meta.url))).toString("latin1");
  const out: OracleCase[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const f = lines[n]!.split(" ");
    if (f.length !== 7) continue;
    out.push({
      line: n + 1,
      op: f[0]!,
      cw: parseInt(f[1]!, 16),
      a: F80.fromHex(f[2]!),
      b: F80.fromHex(f[3]!),
      r1: F80.fromHex(f[4]!),
      r2: F80.fromHex(f[5]!),
      sw: parseInt(f[6]!, 16),
    });
  }
  return out;
}
