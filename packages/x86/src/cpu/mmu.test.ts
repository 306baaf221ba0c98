import { describe, expect, it } from "vitest";
import { Vector } from "./exit.js";
import { DATA, run } from "./integer/test-machine.js";

// Page-fault error code bits (Intel SDM vol. 3 §4.7): P, W/R, U/S.
const PRESENT = 1;
const WRITE = 2;
const USER = 4;
const NEXT_PAGE = DATA + 4096;

describe("Mmu faults", () => {
  it("reports the first byte of the unmapped page when a read crosses into it", () => {
    // mov rax, [rbx] with the 8 bytes straddling the end of the data page.
    const o = run("488b03", { rbx: BigInt(NEXT_PAGE - 3), rax: 7n });
    expect(o.fault).toEqual({ vector: Vector.PF, errorCode: USER, address: NEXT_PAGE });
    expect(o.ripOffset).toBe(0);
    expect(o.m.cpu.getReg(0)).toBe(7n);
  });

  it("reports the page boundary and writes nothing when a store crosses into an unmapped page", () => {
    // mov [rbx], eax with 2 of the 4 bytes on the data page.
    const o = run("8903", { rbx: BigInt(NEXT_PAGE - 2), rax: 0xaabbccddn });
    expect(o.fault).toEqual({ vector: Vector.PF, errorCode: USER | WRITE, address: NEXT_PAGE });
    expect([...o.m.peek(NEXT_PAGE - 2, 2)]).toEqual([0, 0]);
  });

  it("raises #PF (present, user) for a canonical kernel-half address, not #GP", () => {
    // mov rax, [rbx] at 2^64 - 8: canonical, supervisor-only on a real kernel.
    const o = run("488b03", { rbx: 0xfffffffffffffff8n });
    expect(o.fault?.vector).toBe(Vector.PF);
    expect(o.fault?.errorCode).toBe(PRESENT | USER);
  });

  it("raises #GP for a non-canonical address", () => {
    const o = run("488b03", { rbx: 0x0000800000000000n });
    expect(o.fault?.vector).toBe(Vector.GP);
  });

  it("never lets an empty TLB slot match a negative address (pop with rsp in the kernel half)", () => {
    // pop rax with rsp = 2^64 - 16. The stack code reads rsp as a signed number (-16), whose
    // page number -1 once matched the -1 that marked empty TLB slots: it read physical RAM.
    const o = run("58", { rsp: 0xfffffffffffffff0n, rax: 5n });
    expect(o.fault?.vector).toBe(Vector.PF);
    expect(o.fault?.errorCode).toBe(PRESENT | USER);
    expect(o.m.cpu.getReg(0)).toBe(5n);
    expect(o.m.cpu.getReg(4)).toBe(0xfffffffffffffff0n);
  });

  it("faults leave with rbp in the kernel half before changing rsp or rbp", () => {
    const o = run("c9", { rbp: 0xfffffffffffffff2n });
    expect(o.fault?.vector).toBe(Vector.PF);
    expect(o.m.cpu.getReg(5)).toBe(0xfffffffffffffff2n);
    expect(o.m.cpu.getReg(4)).toBe(0x7ff000000000n);
  });
});
