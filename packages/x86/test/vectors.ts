// Golden vectors: `bytes ; expected objdump -M intel text`, checked against our decoder+formatter.
import { readFileSync } from "node:fs";
import { DecodedInstruction, decode } from "../src/decoder/index.js";
import { formatAtt } from "../src/disasm/format-att.js";
import { formatIntel } from "../src/disasm/format-intel.js";
import { normalise } from "./corpus-check.js";

/** One golden vector line. */
export interface Vector {
  line: number;
  address: number;
  bytes: Buffer;
  expected: string;
}

/** Which vector file: Intel or AT&T syntax, of 64-bit or (…32) 32-bit code. */
export type VectorSet = "intel" | "att" | "intel32" | "att32";

/** Reads test/vectors/intel.txt (or att.txt, intel32.txt). */
export function readVectors(syntax: VectorSet = "intel"): Vector[] {
  const text = readFileSync(new URL(`./vectors/${syntax}.txt`, import.meta.url), "utf8");
  const out: Vector[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw === "" || raw.startsWith("#")) return;
    const [head, expected = ""] = raw.split(" ; ");
    const [address, hex] = head!.split(" ");
    out.push({ line: i + 1, address: Number.parseInt(address!, 16), bytes: Buffer.from(hex!, "hex"), expected });
  });
  return out;
}

/** Decodes a vector's bytes; returns our normalised text, or a boundary description when lengths differ. */
export function runVector(v: Vector, ins = new DecodedInstruction(), syntax: VectorSet = "intel"): string {
  decode(ins, v.bytes, 0, v.address, v.bytes.length, syntax.endsWith("32") ? 32 : 64);
  if (ins.error === 0 && ins.length !== v.bytes.length) return `<length ${ins.length}>`;
  return normalise(syntax.startsWith("att") ? formatAtt(ins) : formatIntel(ins));
}
