import fc from "fast-check";
import { describe, it } from "vitest";
import { CaseGenerator } from "../../diff/generator.js";
import { loadOpcodeForms } from "../../diff/opcode-forms.js";
import { checkCase } from "./case-invariants.js";

const generator = new CaseGenerator(loadOpcodeForms());

describe("case generator properties", () => {
  it("every seed gives a case that decodes as planned, fits, patches only data pages and reads no undefined flag", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        checkCase(generator.generate(seed));
      }),
      { numRuns: 300 },
    );
  });
});
