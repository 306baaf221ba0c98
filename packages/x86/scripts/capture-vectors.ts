// Regenerates test/vectors/intel.txt and att.txt: one or more encodings for every form of
// data/opcodes.txt (register and memory ModRM forms, with and without REX.W / 66 / REX.R+B), with
// the text GNU objdump prints for them; and intel32.txt: every form valid outside 64-bit mode
// (with and without 66 and 67) as `objdump -M intel` prints 32-bit code.
// Usage: npx tsx scripts/capture-vectors.ts   (needs as and objdump)
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { DecodedInstruction, decode } from "../src/decoder/index.js";
import { FORM_ATTRS, FORM_COND, FORM_OPERANDS, START } from "../src/decoder/generated/tables.js";

const SLOT = 32;
const ATTR_I64 = 1 << 22;
const ATTR_O64 = 1 << 27;
const ins = new DecodedInstruction();

/** Encodings of every form valid in the mode (64-bit mode also gets the i64 forms, as #UD checks). */
function collect(bits: 64 | 32): number[][] {
const candidates: number[][] = [];
const seen = new Set<string>();
const add = (bytes: number[]): void => {
  const padded = [...bytes, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const buf = new Uint8Array(padded);
  decode(ins, buf, 0, 0, buf.length, bits);
  const length = ins.error === 0 ? ins.length : bytes.length;
  const key = padded.slice(0, length).join(",");
  if (seen.has(key)) return;
  seen.add(key);
  candidates.push(padded.slice(0, length));
};
const legacy = bits === 32;
for (let key = 0; key < START.length - 1; key++) {
  const map = key >> 8;
  const opcode = key & 255;
  // 64-bit mode never reaches these opcodes: they are REX, EVEX and VEX there.
  if (!legacy && (key >> 4 === 4 || key === 0x62 || key === 0xc4 || key === 0xc5)) continue;
  for (let f = START[key]!; f < START[key + 1]!; f++) {
    if (legacy && (FORM_ATTRS[f]! & ATTR_O64) !== 0) continue;
    const cond = FORM_COND[f]!;
    const pfx = cond & 7;
    const kind = (cond >> 3) & 3;
    const wantReg = (cond >> 5) & 15;
    const wantRm = (cond >> 9) & 15;
    const w = (cond >> 13) & 3;
    const l = (cond >> 15) & 3;
    const mandatory = [[], [], [0x66], [0xf3], [0xf2], []][pfx]!;
    const modrms: number[][] = [];
    const reg = wantReg !== 8 ? wantReg : 2;
    if (kind === 0) modrms.push([]);
    // Operand-less register forms (mfence, sfence) use rm=0: objdump rejects the other rm values.
    const rm = wantRm !== 8 ? wantRm : FORM_OPERANDS[f] === 0 ? 0 : 1;
    if (kind === 1 || kind === 3) modrms.push([0xc0 | (reg << 3) | rm]);
    if (kind === 1 || kind === 2) modrms.push([0x40 | (reg << 3) | 3, 0x10], [0x04 | (reg << 3), 0x8d, 0x20]);
    // 16-bit addressing ([bp+di+disp8]) with 67 outside 64-bit mode.
    const addr16 = legacy && (kind === 1 || kind === 2) && (FORM_ATTRS[f]! & ATTR_I64) === 0 ? [0x43 | (reg << 3), 0x10] : undefined;
    if (addr16) {
      const escape = [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]][map] ?? [];
      if (map === 7) add([0x67, 0x0f, 0x0f, ...addr16, opcode]);
      else if (map >= 4) add([0x67, 0xc4, 0xe0 | (map - 3), (15 << 3) | (l === 2 ? 4 : 0) | (pfx <= 1 ? 0 : pfx - 1) | (w === 2 ? 0x80 : 0), opcode, ...addr16]);
      else add([0x67, ...mandatory, ...escape, opcode, ...addr16]);
    }
    for (const modrm of modrms) {
      if (map === 7) {
        // 3DNow!: 0F 0F, the ModRM operand, then the opcode as a suffix.
        const memory = modrm.length > 1 ? modrm : [];
        add([0x0f, 0x0f, ...modrm, opcode]);
        if (memory.length === 0) add([0x45, 0x0f, 0x0f, ...modrm, opcode]);
        continue;
      }
      if (map >= 4) {
        if (legacy && modrm.length > 1 && addr16 === undefined) continue;
        for (const wBit of w === 0 ? [0, 1] : [w - 1]) {
          const lBit = l === 0 ? 0 : l - 1;
          const pp = pfx <= 1 ? 0 : pfx - 1;
          // vvvv = 1110 (register 1) when used; objdump shows what it decodes either way.
          for (const vvvv of [15, 14]) {
            add([0xc4, 0xe0 | (map - 3), (wBit << 7) | (vvvv << 3) | (lBit << 2) | pp, opcode, ...modrm]);
          }
          if (l === 0) add([0xc4, 0xe0 | (map - 3), (wBit << 7) | (14 << 3) | 4 | pp, opcode, ...modrm]);
        }
        continue;
      }
      const escape = [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]][map]!;
      add([...mandatory, ...escape, opcode, ...modrm]);
      // One encoding is enough for a form that is #UD in 64-bit mode.
      if (!legacy && (FORM_ATTRS[f]! & ATTR_I64) !== 0) continue;
      if (pfx === 0 || pfx === 5) add([0x66, ...escape, opcode, ...modrm]);
      if (legacy) continue;
      if (pfx !== 2) add([...mandatory, 0x48, ...escape, opcode, ...modrm]);
      add([...mandatory, 0x45, ...escape, opcode, ...modrm]);
    }
  }
}
return candidates;
}

// Prefix combinations that change meaning, and encodings that are not instructions.
const extra = [
  "f390", "4190", "6690", "f3a4", "f2a6", "f3a6", "f3ab", "48a5", "66a5", "f0010b", "f00103", "f3c3", "f2c3",
  "f2e800000000", "3eff20", "64488b0425280000", "65488b042510000000", "2e8b00", "67e800000000", "67488d0400",
  "66662e0f1f840000000000", "48b88877665544332211", "b878563412", "a08877665544332211", "48a18877665544332211",
  "06", "07", "0e", "16", "17", "1e", "1f", "27", "2f", "37", "3f", "60", "61", "82c001", "9a", "ce", "d4", "d5", "d6", "ea",
  "0f04", "0f0a", "0f0c", "0f24c0", "0f25", "0f26", "0f27", "0f36", "0f39", "0f3b", "0fa6", "0fa7", "0fff00",
  "f0f7d0", "f0ff00", "f00000", "f0c0", "f090", "c4e17d6fc0", "c5f9efc0", "c5fdefc0", "c4e27918c0", "8ec8",
  "f2480f2ac0", "f20f2a00", "660f3a44c000", "660f3a44c011", "0fc2c101", "0fc2c108", "f30f1efa",
  // Gathers with distinct destination, index and mask registers.
  "c4e2719014 98", "c4e2f5901498", "c4e2719114 98", "c4e2759114 98", "c4e2f5911498", "c4e2759214 98",
  "c4e2f5921498", "c4e2759314 98", "c4e2f5931498", "c4a2759014 98",
];
// The same outside 64-bit mode: segment overrides that apply, rel16 branches, 16-bit moffs and
// string addressing, far pointers, jcxz.
const extra32 = [
  "268b03", "2e8b03", "368b03", "3e8b03", "648b03", "658b03", "66e91234", "66e81234", "66750e", "6667e310",
  "67e310", "e310", "67a13412", "a178563412", "67a5", "a5", "67d7", "d7", "26d7", "9a78563412cdab",
  "ea78563412cdab", "669a78563412", "6660", "6661", "6606", "660fa0", "678b4710", "678b06", "678b00", "8b05c3c2c1c0",
];

/** Assembles the encodings, one per 32-byte slot, and writes what objdump prints for them. */
function capture(candidates: number[][], bits: 64 | 32, outputs: ReadonlyArray<readonly [string, readonly string[]]>): void {
// Assembled into an ELF object so objdump prints branch targets as it does for real binaries.
const blob = new Uint8Array(candidates.length * SLOT).fill(0xcc);
candidates.forEach((c, i) => blob.set(c, i * SLOT));
const asm = [".text", ".globl vectors", "vectors:"];
for (let i = 0; i < blob.length; i += 32) asm.push(`.byte ${[...blob.subarray(i, i + 32)].join(",")}`);
writeFileSync("/tmp/nanots-x86-vectors.s", asm.join("\n") + "\n");
execFileSync("as", [bits === 32 ? "--32" : "--64", "-o", "/tmp/nanots-x86-vectors.o", "/tmp/nanots-x86-vectors.s"]);
for (const [file, syntax] of outputs) {
  const text = execFileSync("objdump", ["-d", "-w", ...syntax, "/tmp/nanots-x86-vectors.o"], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const lines = [`# address bytes ; objdump -d ${syntax.join(" ")} text (captured by scripts/capture-vectors.ts; GNU objdump 2.40)`];
  for (const line of text.split("\n")) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(line);
    if (!m || Number.parseInt(m[1]!, 16) % SLOT !== 0) continue;
    lines.push(`${m[1]} ${m[2]!.replace(/ /g, "")} ; ${m[3]!.replace(/\s+$/, "")}`);
  }
  writeFileSync(new URL(`../test/vectors/${file}`, import.meta.url), lines.join("\n") + "\n");
  console.log(file, lines.length - 1, "vectors");
}
}

const hexBytes = (hex: string): number[] => [...Buffer.from(hex.replace(/ /g, ""), "hex")];
// Intel text to intel.txt, objdump's default AT&T text to att.txt.
capture([...collect(64), ...extra.map(hexBytes)], 64, [["intel.txt", ["-M", "intel"]], ["att.txt", []]]);
capture([...collect(32), ...extra32.map(hexBytes)], 32, [["intel32.txt", ["-M", "intel"]], ["att32.txt", []]]);
