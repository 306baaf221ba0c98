import { describe, expect, it } from "vitest";
import { FLAG } from "../../diff/layout.js";
import { undefinedEffect, x87ConditionEffect } from "../../diff/undefined-flags.js";

const { CF, PF, AF, ZF, SF, OF } = FLAG;

// Expectations restate the Intel SDM volume 2 "Flags Affected" sections.
describe("undefined results", () => {
  it("leaves only AF undefined for a one-bit shift, nothing for a zero count", () => {
    expect(undefinedEffect("shl", { size: 4, count: 1 })).toEqual({ flags: AF, destination: false });
    expect(undefinedEffect("shr", { size: 8, count: 0 })).toEqual({ flags: 0, destination: false });
  });

  it("adds OF for longer shifts and CF once an 8/16-bit shift passes the width", () => {
    expect(undefinedEffect("shl", { size: 4, count: 5 }).flags).toBe(AF | OF);
    expect(undefinedEffect("shr", { size: 1, count: 9 }).flags).toBe(AF | OF | CF);
    expect(undefinedEffect("shl", { size: 2, count: 16 }).flags).toBe(AF | OF | CF);
    expect(undefinedEffect("sar", { size: 1, count: 9 }).flags).toBe(AF | OF); // SAR's CF stays defined
  });

  it("is conservative when the count is unknown", () => {
    expect(undefinedEffect("shl", { size: 1 }).flags).toBe(AF | OF | CF);
    expect(undefinedEffect("rol", { size: 8 }).flags).toBe(OF);
    expect(undefinedEffect("shld", { size: 2 }).unknowable).toBe(true);
    expect(undefinedEffect("shld", { size: 4 }).unknowable).toBeFalsy();
  });

  it("makes a 16-bit SHLD/SHRD result undefined only past 16", () => {
    expect(undefinedEffect("shrd", { size: 2, count: 17 })).toEqual({ flags: CF | PF | AF | ZF | SF | OF, destination: true });
    expect(undefinedEffect("shrd", { size: 2, count: 16 }).destination).toBe(false);
  });

  it("covers multiply, divide, logic, bit tests and bit scans", () => {
    expect(undefinedEffect("mul", { size: 8 }).flags).toBe(SF | ZF | AF | PF);
    expect(undefinedEffect("idiv", { size: 4 }).flags).toBe(CF | PF | AF | ZF | SF | OF);
    expect(undefinedEffect("xor", { size: 4 }).flags).toBe(AF);
    expect(undefinedEffect("btc", { size: 2 }).flags).toBe(OF | SF | AF | PF);
    expect(undefinedEffect("bt", { size: 8 }).unaffected).toBe(ZF); // ZF keeps its value
    expect(undefinedEffect("bsf", { size: 4, sourceZero: false })).toEqual({ flags: CF | OF | SF | AF | PF, destination: false, unknowable: false });
    expect(undefinedEffect("bsr", { size: 4, sourceZero: true }).destination).toBe(true);
    expect(undefinedEffect("bsr", { size: 4 }).unknowable).toBe(true);
  });

  it("knows which x87 condition codes each instruction defines, leaves undefined or reads", () => {
    const [C0, C1, C2, C3] = [0x100, 0x200, 0x400, 0x4000];
    expect(x87ConditionEffect("fadd")).toEqual({ defined: C1, undefined: C0 | C2 | C3, reads: 0 });
    expect(x87ConditionEffect("fcomp")).toEqual({ defined: C0 | C1 | C2 | C3, undefined: 0, reads: 0 });
    expect(x87ConditionEffect("fucomi")).toEqual({ defined: C1, undefined: 0, reads: 0 }); // C0 C2 C3 unaffected
    expect(x87ConditionEffect("fldcw").undefined).toBe(C0 | C1 | C2 | C3);
    expect(x87ConditionEffect("fnstsw").reads).toBe(C0 | C1 | C2 | C3);
    expect(x87ConditionEffect("add")).toEqual({ defined: 0, undefined: 0, reads: 0 });
  });

  it("defines everything for instructions without an entry", () => {
    for (const m of ["add", "adc", "neg", "popcnt", "cmpxchg"]) expect(undefinedEffect(m, { size: 4 }).flags).toBe(0);
    expect(undefinedEffect("bswap", { size: 2 }).destination).toBe(true);
    expect(undefinedEffect("bswap", { size: 8 }).destination).toBe(false);
  });
});
