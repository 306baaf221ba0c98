// Decode throughput over real code: the instructions of glibc's libc.so.6 captured in
// test/corpus/libc-so.txt.gz (AVX-512 instructions left out, since only iced decodes them).
// Phase "instructions" reports instructions/s, phase "bytes" the same pass as bytes/s.
// Then the CPU benchmark programs (cpu-bench.ts). NANOTS_X86_BENCH=decode or =cpu runs only one.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { runSuites, type Contender } from "@nanots/bench-kit";
import { Code, Decoder, DecoderOptions, Instruction } from "iced-x86";
import { DecodedInstruction, decode } from "../src/index.js";
import { runCpuBench } from "./cpu-bench.js";

function corpus(): { code: Uint8Array; count: number } {
  const text = gunzipSync(readFileSync(new URL("../test/corpus/libc-so.txt.gz", import.meta.url))).toString("utf8");
  const parts: Buffer[] = [];
  for (const line of text.split("\n")) {
    const [addr, hex, asm = ""] = line.split("\t");
    if (addr === undefined || hex === undefined || addr.startsWith("#") || addr.startsWith("S ")) continue;
    const bytes = Buffer.from(hex, "hex");
    let i = 0;
    while (i < bytes.length && [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].includes(bytes[i]!)) i++;
    if (bytes[i] === 0x62 || /^k[a-z]/.test(asm) || asm.startsWith("(bad)")) continue;
    parts.push(bytes);
  }
  return { code: Buffer.concat(parts), count: parts.length };
}

const { code, count } = corpus();

function ours(): number {
  const ins = new DecodedInstruction();
  let n = 0;
  for (let pos = 0; pos < code.length; n++) pos += decode(ins, code, pos, 0x1000 + pos);
  return n;
}

function iced(decoder: Decoder, ins: Instruction): number {
  decoder.position = 0;
  decoder.ip = 0x1000n;
  let n = 0;
  while (decoder.canDecode) {
    decoder.decodeOut(ins);
    if (ins.code === Code.INVALID) throw new Error("iced: invalid instruction in corpus");
    n++;
  }
  return n;
}

const contenders: Contender[] = [
  { name: "@nanots/x86 decode", ours: true, make: () => ({ instructions: ours, bytes: ours }) },
  {
    name: "iced-x86 Decoder.decodeOut",
    make: () => {
      const decoder = new Decoder(64, code, DecoderOptions.None);
      const ins = new Instruction();
      return { instructions: () => iced(decoder, ins), bytes: () => iced(decoder, ins) };
    },
  },
];

const only = process.env.NANOTS_X86_BENCH;
if (only !== "cpu") runSuites(import.meta.url, [
  {
    title: `x86-64 decode of libc.so.6 code (${count} instructions, ${(code.length / 1e6).toFixed(2)} MB)`,
    ops: { instructions: count, bytes: code.length },
    contenders,
  },
]);
// The CPU suite runs in the parent only (bench-kit re-runs this file for each decode contender).
if (only !== "decode" && process.env.NANOTS_BENCH_CHILD === undefined) runCpuBench();
