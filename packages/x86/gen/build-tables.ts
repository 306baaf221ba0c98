// Parses the opcode data file and renders the decoder tables as TypeScript source.
import { OPERAND_SPECS } from "../src/decoder/operand-spec.js";
import { BRANCH_KINDS, FLAG_LETTERS, MAPS, PREFIX_SELECTORS } from "../src/decoder/table-format.js";

/** One parsed line of data/opcodes.txt. */
interface Entry {
  line: number;
  key: number;
  cond: number;
  mnemonics: [string, string, string];
  operands: number;
  attrs: number;
  ext: string;
}

function flagBits(letters: string, line: number): number {
  let bits = 0;
  for (const ch of letters) {
    const bit = FLAG_LETTERS.indexOf(ch);
    if (bit < 0) throw new Error(`line ${line}: unknown flag letter "${ch}"`);
    bits |= 1 << bit;
  }
  return bits;
}

/** Encodes the modrm column: kind (0 none, 1 any, 2 memory, 3 register), reg and rm (8 = any). */
function modrmCond(text: string, line: number): number {
  let kind = 1;
  let reg = 8;
  let rm = 8;
  const m = /^(?:(-)|([rmg])|\/([0-7])(?:\.([0-7])|([mg]))?)$/.exec(text);
  if (!m) throw new Error(`line ${line}: bad modrm column "${text}"`);
  if (m[1]) kind = 0;
  else if (m[2]) kind = m[2] === "r" ? 1 : m[2] === "m" ? 2 : 3;
  else {
    reg = Number(m[3]);
    if (m[4] !== undefined) {
      rm = Number(m[4]);
      kind = 3;
    } else if (m[5]) kind = m[5] === "m" ? 2 : 3;
  }
  return kind | (reg << 2) | (rm << 6);
}

function parseLine(raw: string, line: number): Entry[] {
  const cols = raw.trim().split(/\s+/);
  const [mapName, opText, modrmText, prefixText, mnemonicText, operandText, ...attrTexts] = cols;
  if (operandText === undefined) throw new Error(`line ${line}: expected at least six columns`);
  const map = MAPS.indexOf(mapName as (typeof MAPS)[number]);
  if (map < 0) throw new Error(`line ${line}: unknown map "${mapName}"`);
  const plus = opText!.endsWith("+");
  const opcode = Number.parseInt(opText!.replace("+", ""), 16);
  if (!(opcode >= 0 && opcode < 256)) throw new Error(`line ${line}: bad opcode "${opText}"`);
  const prefix = PREFIX_SELECTORS.indexOf(prefixText as (typeof PREFIX_SELECTORS)[number]);
  if (prefix < 0) throw new Error(`line ${line}: unknown prefix selector "${prefixText}"`);
  const names = mnemonicText!.split("|");
  const mnemonics: [string, string, string] =
    names.length === 3 ? [names[0]!, names[1]!, names[2]!] : [names[0]!, names[0]!, names[0]!];
  let operands = 0;
  const specs = operandText === "-" ? [] : operandText.split(",");
  if (specs.length > 4) throw new Error(`line ${line}: more than four operands`);
  specs.forEach((spec, i) => {
    const code = OPERAND_SPECS.indexOf(spec as (typeof OPERAND_SPECS)[number]);
    if (code <= 0) throw new Error(`line ${line}: unknown operand "${spec}"`);
    operands |= code << (8 * i);
  });
  let w = 0;
  let l = 0;
  let attrs = 0;
  let ext = "BASE";
  for (const attr of attrTexts) {
    const [name, value = ""] = attr.split("=");
    switch (name) {
      case "ext": ext = value; break;
      case "fr": attrs |= flagBits(value, line); break;
      case "fw": attrs |= flagBits(value, line) << 8; break;
      case "br": {
        const kind = BRANCH_KINDS.indexOf(value as (typeof BRANCH_KINDS)[number]);
        if (kind <= 0) throw new Error(`line ${line}: unknown branch kind "${value}"`);
        attrs |= kind << 16;
        break;
      }
      case "d64": attrs |= 1 << 20; break;
      case "f64": attrs |= 1 << 21; break;
      case "i64": attrs |= 1 << 22; break;
      case "lock": attrs |= 1 << 23; break;
      case "modreg": attrs |= 1 << 24; break;
      case "imm4": attrs |= 1 << 25; break;
      case "distinct": attrs |= 1 << 26; break;
      case "o64": attrs |= 1 << 27; break;
      case "W0": w = 1; break;
      case "W1": w = 2; break;
      case "L0": l = 1; break;
      case "L1": l = 2; break;
      default: throw new Error(`line ${line}: unknown attribute "${attr}"`);
    }
  }
  const cond = prefix | (modrmCond(modrmText!, line) << 3) | (w << 13) | (l << 15);
  const count = plus ? 8 : 1;
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({ line, key: map * 256 + opcode + i, cond, mnemonics, operands, attrs, ext });
  }
  return entries;
}

/** How specific a condition is: more specific entries are tried first. */
function specificity(cond: number): number {
  const prefix = cond & 7;
  const reg = (cond >> 5) & 15;
  const rm = (cond >> 9) & 15;
  const kind = (cond >> 3) & 3;
  return (prefix !== 0 ? 8 : 0) + (rm !== 8 ? 4 : 0) + (reg !== 8 ? 2 : 0) + (kind >= 2 ? 1 : 0) + ((cond >> 13) & 15 ? 1 : 0);
}

/** Renders the generated module's source text from the data file's text. */
export function buildTables(data: string): string {
  const entries: Entry[] = [];
  data.split("\n").forEach((raw, i) => {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    entries.push(...parseLine(raw, i + 1));
  });
  entries.sort((a, b) => a.key - b.key || specificity(b.cond) - specificity(a.cond) || a.line - b.line);
  const keys = MAPS.length * 256;
  const start: number[] = new Array(keys + 1).fill(0);
  for (const e of entries) start[e.key + 1]!++;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  for (let k = 0; k < keys; k++) {
    const group = entries.slice(start[k], start[k + 1]);
    const kinds = new Set(group.map((e) => ((e.cond >> 3) & 3) === 0));
    if (kinds.size > 1) throw new Error(`line ${group[0]!.line}: opcode mixes ModRM and no-ModRM forms`);
  }
  const mnemonics = [...new Set(entries.flatMap((e) => e.mnemonics))].sort();
  const exts = [...new Set(entries.map((e) => e.ext))].sort();
  const mn = (s: string): number => mnemonics.indexOf(s);
  const list = (xs: number[]): string => {
    const rows: string[] = [];
    for (let i = 0; i < xs.length; i += 16) rows.push("  " + xs.slice(i, i + 16).join(", ") + ",");
    return rows.join("\n");
  };
  return `// @generated by gen/gen-tables.ts from data/opcodes.txt — do not edit.
/* eslint-disable */

/** Mnemonic names, indexed by the MNEMONIC_* table entries. */
export const MNEMONIC_NAMES: readonly string[] = ${JSON.stringify(mnemonics)};

/** ISA extension names, indexed by FORM_EXT. */
export const EXTENSION_NAMES: readonly string[] = ${JSON.stringify(exts)};

/** First form index of each map*256+opcode key; forms of key k are START[k]..START[k+1]-1. */
export const START = new Uint16Array([
${list(start)}
]);

/** Match condition of each form (prefix selector, ModRM kind/reg/rm, VEX.W, VEX.L). */
export const FORM_COND = new Uint32Array([
${list(entries.map((e) => e.cond))}
]);

/** Up to four operand specifiers per form, eight bits each. */
export const FORM_OPERANDS = new Uint32Array([
${list(entries.map((e) => e.operands))}
]);

/** Flags read (bits 0-7), written (8-15), branch kind (16-19), d64, f64, i64, lock, modreg, imm4, distinct, o64 (20-27). */
export const FORM_ATTRS = new Uint32Array([
${list(entries.map((e) => e.attrs))}
]);

/** Mnemonic index of form f for operand sizes 16, 32 and 64 at 3f, 3f+1, 3f+2. */
export const FORM_MNEMONIC = new Uint16Array([
${list(entries.flatMap((e) => e.mnemonics.map(mn)))}
]);

/** ISA extension index of each form. */
export const FORM_EXT = new Uint8Array([
${list(entries.map((e) => exts.indexOf(e.ext)))}
]);

/** Data-file line of each form, for error messages and coverage tests. */
export const FORM_LINE = new Uint16Array([
${list(entries.map((e) => e.line))}
]);
`;
}
