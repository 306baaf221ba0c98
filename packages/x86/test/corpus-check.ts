// Compares our decoder + Intel formatter with objdump output captured in test/corpus/*.txt.gz.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DecodedInstruction, decode } from "../src/decoder/index.js";
import { formatAtt } from "../src/disasm/format-att.js";
import { formatIntel } from "../src/disasm/format-intel.js";

/**
 * The documented normalisation applied to both sides before comparing text: symbol labels
 * `<...>` and `# ...` comments are dropped, runs of whitespace become one space.
 */
export function normalise(text: string): string {
  return text.replace(/\s*#.*$/, "").replace(/\s*<[^>]*>/g, "").replace(/\s+/g, " ").trim();
}

/** Result of checking one corpus fixture. */
export interface CorpusResult {
  instructions: number;
  /** AVX-512 (EVEX) and mask-register instructions: outside the decoder's scope, not compared. */
  excluded: number;
  boundaryMismatches: number;
  textMismatches: number;
  examples: string[];
}

interface Line {
  address: number;
  bytes: Buffer;
  text: string;
}

function readFixture(name: string): Line[] {
  const text = gunzipSync(readFileSync(new URL(`./corpus/${name}.txt.gz`, import.meta.url))).toString("utf8");
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    if (raw === "" || raw.startsWith("#") || raw.startsWith("S ")) continue;
    const [addr, hex, asm = ""] = raw.split("\t");
    lines.push({ address: Number.parseInt(addr!, 16), bytes: Buffer.from(hex!, "hex"), text: asm });
  }
  return lines;
}

/** Decodes every run of consecutive instructions of a fixture and compares with objdump (AT&T when the name ends in ".att"). */
export function checkCorpus(name: string, keep = 20): CorpusResult {
  const lines = readFixture(name);
  const result: CorpusResult = { instructions: lines.length, excluded: 0, boundaryMismatches: 0, textMismatches: 0, examples: [] };
  const ins = new DecodedInstruction();
  let i = 0;
  while (i < lines.length) {
    // A run: lines whose addresses follow each other without gaps.
    let j = i + 1;
    while (j < lines.length && lines[j]!.address === lines[j - 1]!.address + lines[j - 1]!.bytes.length) j++;
    const run = lines.slice(i, j);
    const code = Buffer.concat(run.map((l) => l.bytes));
    const base = run[0]!.address;
    for (const line of run) {
      const offset = line.address - base;
      decode(ins, code, offset, line.address);
      if (isAvx512(line)) {
        result.excluded++;
        continue;
      }
      const theirsBad = line.text.startsWith("(bad)");
      const sameBoundary = theirsBad ? ins.error !== 0 : ins.error === 0 && ins.length === line.bytes.length;
      if (!sameBoundary) {
        result.boundaryMismatches++;
        if (result.examples.length < keep) {
          result.examples.push(`${line.bytes.toString("hex")}: boundary ${ins.error ? `error ${ins.error}` : ins.length} | objdump: ${line.text}`);
        }
        continue;
      }
      const ours = normalise(name.endsWith(".att") ? formatAtt(ins) : formatIntel(ins));
      const theirs = normalise(line.text);
      if (ours !== theirs) {
        result.textMismatches++;
        if (result.examples.length < keep) result.examples.push(`${line.bytes.toString("hex")}: "${ours}" | objdump: "${theirs}"`);
      }
    }
    i = j;
  }
  return result;
}

const LEGACY_PREFIXES = new Set([0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]);

/** EVEX-encoded (first byte after prefixes 62) or an AVX-512 mask-register ("k...") instruction. */
function isAvx512(line: Line): boolean {
  let i = 0;
  while (i < line.bytes.length && LEGACY_PREFIXES.has(line.bytes[i]!)) i++;
  return line.bytes[i] === 0x62 || /^k[a-z]/.test(line.text);
}
