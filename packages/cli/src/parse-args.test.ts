import { describe, expect, it } from "vitest";
import { parseArgs } from "./parse-args.js";
import { UsageError } from "./usage-error.js";

const spec = { e: "flag", t: "flag", l: "value", s: "value", x: "list" } as const;

describe("parseArgs", () => {
  it("reads flags, values (separate or attached), repeated lists and operands in any order", () => {
    const p = parseArgs(["-et", "-l", "label one", "img", "-s1M", "-x", "(a:b)", "-x(c:d)"], spec);
    expect([...p.flags].sort()).toEqual(["e", "t"]);
    expect(p.values.get("l")).toBe("label one");
    expect(p.values.get("s")).toBe("1M");
    expect(p.lists.get("x")).toEqual(["(a:b)", "(c:d)"]);
    expect(p.operands).toEqual(["img"]);
  });

  it("-- ends the options; a lone - is an operand", () => {
    const p = parseArgs(["-e", "--", "-t", "-"], spec);
    expect(p.operands).toEqual(["-t", "-"]);
    expect(p.flags.has("t")).toBe(false);
    expect(parseArgs(["-"], spec).operands).toEqual(["-"]);
  });

  it("unknown options and missing values are usage errors that say which", () => {
    expect(() => parseArgs(["-q"], spec)).toThrow(new UsageError("unknown option -q"));
    expect(() => parseArgs(["img", "-l"], spec)).toThrow(new UsageError("option -l needs a value"));
    expect(() => parseArgs(["-eq"], spec)).toThrow(UsageError);
  });
});
