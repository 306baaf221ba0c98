import { describe, expect, it } from "vitest";
import { CaseGenerator } from "../../diff/generator.js";
import { classify } from "../../diff/instruction-classes.js";
import { checkCase, forms } from "./case-invariants.js";

const integer = new CaseGenerator(forms);

describe("case generator", () => {
  it("is deterministic: a seed always gives the same case", () => {
    expect(new CaseGenerator(forms).generate(4242)).toEqual(new CaseGenerator(forms).generate(4242));
  });

  it("keeps its invariants on a run of seeds", () => {
    for (let seed = 1; seed <= 400; seed++) checkCase(integer.generate(seed));
  });

  it("eventually generates every integer and BMI form of the data file", () => {
    const g = new CaseGenerator(forms);
    for (let seed = 1; seed <= 4000; seed++) g.generate(seed);
    const never = g.forms.filter((f) => !g.built.has(f.line)).map((f) => `${f.line}: ${f.mnemonics[1]} ${f.operands.join(",")}`);
    expect(never).toEqual([]);
  });

  it("draws only from the selected classes", () => {
    const sse = new CaseGenerator(forms, { classes: ["sse"] });
    for (let seed = 1; seed <= 200; seed++) checkCase(sse.generate(seed), ["sse"]);
    const x87 = new CaseGenerator(forms, { classes: ["x87"] });
    for (let seed = 1; seed <= 200; seed++) {
      const c = x87.generate(seed);
      checkCase(c, ["x87"]);
      expect(c.undefinedFsw).toHaveLength(c.starts.length + 1);
    }
  });

  it("rejects an empty selection with a clear error", () => {
    expect(() => new CaseGenerator([], {})).toThrow(/no opcode forms/);
  });
});

describe("instruction classes", () => {
  const byMnemonic = (m: string) => forms.find((f) => f.mnemonics.includes(m))!;
  it("puts each form in its class and keeps out what cannot run in a user-mode test", () => {
    expect(classify(byMnemonic("add"))).toEqual({ cls: "integer" });
    expect(classify(byMnemonic("andn"))).toEqual({ cls: "bmi" });
    expect(classify(byMnemonic("addps"))).toEqual({ cls: "sse" });
    expect(classify(byMnemonic("fadd"))).toEqual({ cls: "x87" });
    expect(classify(byMnemonic("vaddps"))).toEqual({ cls: "avx" });
    for (const m of ["syscall", "cpuid", "rdtsc", "rdrand", "hlt", "in", "lgdt", "lss", "fxsave"]) {
      expect(classify(byMnemonic(m)), m).toHaveProperty("excluded");
    }
  });
});
