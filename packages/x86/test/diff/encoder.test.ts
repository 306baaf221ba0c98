import { describe, expect, it } from "vitest";
import { encode, type EncodeRequest } from "../../diff/encoder.js";
import { loadOpcodeForms, type OpcodeForm } from "../../diff/opcode-forms.js";

const forms = loadOpcodeForms();
const form = (mnemonic: string, operands: string, map = "1"): OpcodeForm => {
  const f = forms.find((x) => x.mnemonics.includes(mnemonic) && x.operands.join(",") === operands && x.map === map);
  if (!f) throw new Error(`no form ${mnemonic} ${operands}`);
  return f;
};
const request = (f: OpcodeForm, fields: Partial<EncodeRequest>): EncodeRequest => ({
  form: f, legacyPrefixes: [], operandSize16: false, rexW: false, forceRex: false, reg: 0, rm: 0, memory: undefined,
  opcodeRegister: 0, vvvv: 0, immediates: [], vexShort: false, ...fields,
});
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

// Expected bytes follow the SDM's encoding rules (ModRM/SIB tables, REX and VEX layouts).
describe("encoder", () => {
  it("encodes register forms with REX.W and ModRM", () => {
    expect(hex(encode(request(form("add", "Ev,Gv"), { rexW: true, reg: 3, rm: 0 })))).toBe("4801d8"); // add rax, rbx
    expect(hex(encode(request(form("add", "Ev,Gv"), { operandSize16: true, reg: 9, rm: 10 })))).toBe("664501ca"); // add r10w, r9w
  });

  it("needs a SIB byte for rsp/r12 bases and a displacement for rbp/r13", () => {
    const mov = form("mov", "Gv,Ev");
    const mem = { index: -1, scale: 1 as const, disp: 0, dispBytes: 0 as const, ripRelative: false };
    expect(hex(encode(request(mov, { reg: 0, memory: { ...mem, base: 12 } })))).toBe("418b0424"); // mov eax, [r12]
    expect(hex(encode(request(mov, { reg: 0, memory: { ...mem, base: 5 } })))).toBe("8b4500"); // mov eax, [rbp+0]
    expect(hex(encode(request(mov, { reg: 1, memory: { ...mem, base: 3, index: 9, scale: 8, disp: -2, dispBytes: 1 } })))).toBe("428b4ccbfe"); // mov ecx, [rbx+r9*8-2]
    expect(hex(encode(request(mov, { reg: 2, memory: { ...mem, base: -1, disp: 0x20000000, dispBytes: 4 } })))).toBe("8b142500000020"); // mov edx, [0x20000000]
    expect(hex(encode(request(mov, { reg: 2, memory: { ...mem, base: -1, disp: 16, dispBytes: 4, ripRelative: true } })))).toBe("8b1510000000"); // mov edx, [rip+16]
  });

  it("puts the register of + opcodes in the low bits and REX.B", () => {
    expect(hex(encode(request(form("push", "Zq"), { opcodeRegister: 13 })))).toBe("4155"); // push r13
  });

  it("encodes VEX three-byte forms (BMI)", () => {
    // andn rax, rbx, rcx: VEX.LZ.0F38.W1 F2 /r, vvvv = rbx
    expect(hex(encode(request(form("andn", "Gy,By,Ey", "V2"), { rexW: true, reg: 0, rm: 1, vvvv: 3 })))).toBe("c4e2e0f2c1");
  });
});
