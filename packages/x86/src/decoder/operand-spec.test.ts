import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERAND_SPECS } from "./operand-spec.js";

describe("operand specifiers", () => {
  it("decode.ts's const enum Spec lists OPERAND_SPECS in the same order", () => {
    const source = readFileSync(new URL("./decode.ts", import.meta.url), "utf8");
    const body = /const enum Spec \{([^}]*)\}/.exec(source)![1]!;
    const members = [...body.matchAll(/(\w+) = (\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(members).toEqual(OPERAND_SPECS.map((name, i) => [name === "" ? "None" : name, i]));
  });
});
