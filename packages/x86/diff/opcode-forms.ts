// Reads data/opcodes.txt (the decoder's single source of truth) into forms the generator can
// encode. The column syntax is described at the top of that file.
import { readFileSync } from "node:fs";

/** How a form uses ModRM. */
export type ModrmKind = "none" | "any" | "memory" | "register";

/** One line of the opcode data file. */
export interface OpcodeForm {
  /** 1-based line number in data/opcodes.txt (the decoder's FORM_LINE). */
  line: number;
  /** "1", "0F", "0F38", "0F3A", "V1", "V2", "V3". */
  map: string;
  opcode: number;
  /** The opcode's low three bits name a register (the "+" forms). */
  plusRegister: boolean;
  modrm: ModrmKind;
  /** ModRM.reg fixed by the form (/N), else undefined. */
  reg: number | undefined;
  /** ModRM.rm fixed by the form (/N.R), else undefined. */
  rm: number | undefined;
  /** "-", "NP", "66", "F3" or "F2". */
  prefix: string;
  /** Mnemonic for operand sizes 16, 32 and 64. */
  mnemonics: [string, string, string];
  /** Operand specifiers (SDM appendix A letters). */
  operands: string[];
  /** ISA extension ("BASE" when none). */
  ext: string;
  /** Flag letters read and written ("cpazsodi" subsets). */
  flagsRead: string;
  flagsWritten: string;
  /** Branch kind ("" when none). */
  branch: string;
  d64: boolean;
  f64: boolean;
  i64: boolean;
  lock: boolean;
  /** VEX.W required (0 or 1) or undefined. */
  vexW: number | undefined;
  /** VEX.L required (0 or 1) or undefined. */
  vexL: number | undefined;
}

/** Parses the text of the opcode data file. */
export function parseOpcodeForms(text: string): OpcodeForm[] {
  const forms: OpcodeForm[] = [];
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const [map, opText, modrmText, prefix, mnemonicText, operandText, ...attrs] = trimmed.split(/\s+/);
    const line = index + 1;
    if (operandText === undefined) throw new Error(`opcodes.txt line ${line}: expected six columns`);
    const names = mnemonicText!.split("|");
    const form: OpcodeForm = {
      line,
      map: map!,
      opcode: Number.parseInt(opText!.replace("+", ""), 16),
      plusRegister: opText!.endsWith("+"),
      modrm: "any",
      reg: undefined,
      rm: undefined,
      prefix: prefix!,
      mnemonics: names.length === 3 ? [names[0]!, names[1]!, names[2]!] : [names[0]!, names[0]!, names[0]!],
      operands: operandText === "-" ? [] : operandText.split(","),
      ext: "BASE",
      flagsRead: "",
      flagsWritten: "",
      branch: "",
      d64: false,
      f64: false,
      i64: false,
      lock: false,
      vexW: undefined,
      vexL: undefined,
    };
    const m = /^(?:(-)|([rmg])|\/([0-7])(?:\.([0-7])|([mg]))?)$/.exec(modrmText!);
    if (!m) throw new Error(`opcodes.txt line ${line}: bad modrm column "${modrmText}"`);
    if (m[1]) form.modrm = "none";
    else if (m[2]) form.modrm = m[2] === "r" ? "any" : m[2] === "m" ? "memory" : "register";
    else {
      form.reg = Number(m[3]);
      if (m[4] !== undefined) {
        form.rm = Number(m[4]);
        form.modrm = "register";
      } else if (m[5]) form.modrm = m[5] === "m" ? "memory" : "register";
    }
    for (const attr of attrs) {
      const [name, value = ""] = attr.split("=");
      if (name === "ext") form.ext = value;
      else if (name === "fr") form.flagsRead = value;
      else if (name === "fw") form.flagsWritten = value;
      else if (name === "br") form.branch = value;
      else if (name === "d64") form.d64 = true;
      else if (name === "f64") form.f64 = true;
      else if (name === "i64") form.i64 = true;
      else if (name === "lock") form.lock = true;
      else if (name === "W0" || name === "W1") form.vexW = Number(name[1]);
      else if (name === "L0" || name === "L1") form.vexL = Number(name[1]);
    }
    forms.push(form);
  });
  return forms;
}

/** The forms of packages/x86/data/opcodes.txt. */
export function loadOpcodeForms(): OpcodeForm[] {
  return parseOpcodeForms(readFileSync(new URL("../data/opcodes.txt", import.meta.url), "utf8"));
}
