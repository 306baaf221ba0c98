import { describe, expect, it } from "vitest";
import { Vector } from "../exit.js";
import { BARE_LAYOUT } from "../bare-machine.js";
import { R, run } from "./test-machine.js";

/** #SS: SDM vol. 3 §6.15, a stack access at a non-canonical address in 64-bit mode. */
const SS = 12;
const NON_CANONICAL = 0x0800000000000001n;
const STACK_TOP = BigInt(BARE_LAYOUT.stackTop);

describe("stack accesses at non-canonical addresses raise #SS(0), not #GP", () => {
  it("leave with a non-canonical rbp", () => {
    const o = run("c9", { rbp: NON_CANONICAL });
    expect(o.fault).toEqual({ vector: SS, errorCode: 0, address: 0 });
    expect(o.m.cpu.getReg(R.rbp)).toBe(NON_CANONICAL);
    expect(o.m.cpu.getReg(R.rsp)).toBe(STACK_TOP);
  });

  it.each([
    ["push rax", "50"],
    ["pop rax", "58"],
    ["call rax", "ffd0"],
    ["ret", "c3"],
  ])("%s with a non-canonical rsp", (_name, code) => {
    const o = run(code, { rsp: 0x8000000000001000n, rax: 0x400000n });
    expect(o.fault?.vector).toBe(SS);
    expect(o.ripOffset).toBe(0);
    expect(o.m.cpu.getReg(R.rsp)).toBe(0x8000000000001000n);
  });

  it("enter 0x68, 2 stores rbp, then faults on the frame-pointer copy through a non-canonical rbp", () => {
    // The host writes the rbp push before the #SS; rsp and rbp stay as they were.
    const o = run("c8680002", { rbp: NON_CANONICAL });
    expect(o.fault?.vector).toBe(SS);
    expect(o.m.cpu.getReg(R.rsp)).toBe(STACK_TOP);
    expect(o.m.cpu.getReg(R.rbp)).toBe(NON_CANONICAL);
    expect(new DataView(o.m.peek(BARE_LAYOUT.stackTop - 8, 8).buffer).getBigUint64(0, true)).toBe(NON_CANONICAL);
  });

  it("a kernel-half rsp is a page fault (canonical), not #SS", () => {
    const o = run("50", { rsp: 0xffff800000001000n });
    expect(o.fault?.vector).toBe(Vector.PF);
  });
});
