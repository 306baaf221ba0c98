// What every generated case must satisfy; shared by the example and the property tests.
import { expect } from "vitest";
import { DecodedInstruction, OperandKind } from "../../src/decoder/decoded-instruction.js";
import { decode } from "../../src/decoder/decode.js";
import { FORM_LINE } from "../../src/decoder/generated/tables.js";
import { isSafeRange } from "../../diff/address-space.js";
import { initialState, type GeneratedCase } from "../../diff/generator.js";
import { classify } from "../../diff/instruction-classes.js";
import { CODE_BASE, DATA_BASE, FLAG, MAX_CODE, PAGE, STACK_BASE } from "../../diff/layout.js";
import { loadOpcodeForms } from "../../diff/opcode-forms.js";

/** The opcode data file's forms. */
export const forms = loadOpcodeForms();
// Decoder flag bits are the letters "cpazsodi" in order; the generator's masks are RFLAGS bits.
const DECODER_TO_RFLAGS = [FLAG.CF, FLAG.PF, FLAG.AF, FLAG.ZF, FLAG.SF, FLAG.OF, FLAG.DF, 0x200];
const rflagsOf = (bits: number): number => DECODER_TO_RFLAGS.reduce((m, f, i) => m | (bits & (1 << i) ? f : 0), 0);

function instructions(c: GeneratedCase): DecodedInstruction[] {
  return c.starts.map((start) => {
    const out = new DecodedInstruction();
    decode(out, c.code, start, CODE_BASE + start);
    return out;
  });
}

/** Invariants every generated case keeps (shared with the property test). */
export function checkCase(c: GeneratedCase, classes = ["integer", "bmi"]): void {
  expect(c.code.length).toBeLessThanOrEqual(MAX_CODE - 1);
  const decoded = instructions(c);
  decoded.forEach((ins, i) => {
    expect(ins.error, `instruction ${i} of seed ${c.seed}`).toBe(0);
    expect(c.starts[i]! + ins.length).toBe(c.starts[i + 1] ?? c.code.length);
    const form = forms.find((f) => f.line === FORM_LINE[ins.form]);
    const cls = form ? classify(form) : { excluded: "no form" };
    // A NOP filler stands in when no form fits the context.
    if (!(ins.mnemonic === "nop" && ins.length === 1)) expect("cls" in cls ? cls.cls : cls.excluded, ins.mnemonic).toSatisfy((k: string) => classes.includes(k));
    // No instruction reads a flag an earlier one left undefined.
    expect(rflagsOf(ins.flagsRead) & c.undefinedFlags[i]!, `${ins.mnemonic} at ${i}, seed ${c.seed}`).toBe(0);
  });
  expect(c.undefinedFlags).toHaveLength(c.starts.length + 1);
  for (const p of c.memPatches) {
    const inData = p.address >= DATA_BASE && p.address + p.bytes.length <= DATA_BASE + PAGE;
    const inStack = p.address >= STACK_BASE && p.address + p.bytes.length <= STACK_BASE + PAGE;
    expect(inData || inStack, `patch at ${p.address.toString(16)}`).toBe(true);
  }
  // The first instruction's memory operand (registers still initial) stays in the safe area.
  const first = decoded[0]!;
  const memory = [...first.operandKind.subarray(0, first.operandCount)].indexOf(OperandKind.Memory);
  if (memory >= 0 && first.mnemonic !== "lea" && first.mnemonic !== "nop" && !first.mnemonic.startsWith("prefetch")) {
    const s = initialState(c);
    const reg = (id: number): bigint => (id === 0 ? 0n : (id >> 5) === 13 ? BigInt(CODE_BASE + first.length) : s.gpr[id & 31]!);
    let address = reg(first.memoryBase) + reg(first.memoryIndex) * BigInt(first.memoryScale) + BigInt(first.memoryDisplacement);
    address = first.addressSize === 4 ? BigInt.asUintN(32, address) : BigInt.asUintN(64, address);
    if (!["bt", "bts", "btr", "btc"].includes(first.mnemonic)) {
      expect(isSafeRange(address, first.operandBytes[memory] || 1), `${first.mnemonic} at ${address.toString(16)}, seed ${c.seed}`).toBe(true);
    }
  }
}

