import { describe, expect, it } from "vitest";
import { Vector } from "../exit.js";
import { DATA, R, run } from "./test-machine.js";

const NEXT_PAGE = DATA + 4096;
const USER = 4;
const WRITE = 2;

describe("string instructions", () => {
  it("treat rcx as an unsigned 64-bit count: rep stosb with rcx = 2^64 - 55 stores until the page ends", () => {
    // The count is far beyond the page, so the store faults at the first unmapped byte with rcx
    // and rdi describing the elements done (SDM vol. 2 REP: the registers are updated per element).
    const start = NEXT_PAGE - 0x40;
    const o = run("f3aa", { rcx: 0xffffffffffffffc9n, rdi: BigInt(start), rax: 0x5an });
    expect(o.fault).toEqual({ vector: Vector.PF, errorCode: USER | WRITE, address: NEXT_PAGE });
    expect(o.m.cpu.getReg(R.rcx)).toBe(0xffffffffffffffc9n - 0x40n);
    expect(o.m.cpu.getReg(R.rdi)).toBe(BigInt(NEXT_PAGE));
    expect([...o.m.peek(start, 0x40)].every((b) => b === 0x5a)).toBe(true);
  });

  it("count rcx down exactly above 2^53, where a number would round", () => {
    const o = run("f3aa", { rcx: 0x20000000000005n, rdi: BigInt(NEXT_PAGE - 3) });
    expect(o.fault?.address).toBe(NEXT_PAGE);
    expect(o.m.cpu.getReg(R.rcx)).toBe(0x20000000000002n);
  });

  it("with 0x67 count ecx only: rep stosb with rcx = 2^32 + 3 stores 3 bytes", () => {
    const o = run("67f3aa", { rcx: 0x100000003n, rdi: BigInt(DATA), rax: 0xeen });
    expect(o.fault).toBeUndefined();
    expect([...o.m.peek(DATA, 4)]).toEqual([0xee, 0xee, 0xee, 0]);
    expect(o.m.cpu.getReg(R.rcx) & 0xffffffffn).toBe(0n);
    expect(o.m.cpu.getReg(R.rdi)).toBe(BigInt(DATA + 3));
  });

  it("rep movsq reports the source's fault before the destination's (the read comes first)", () => {
    // Source unmapped, destination in the read-only code page: both would fault.
    const o = run("f348a5", { rcx: 4n, rsi: BigInt(NEXT_PAGE), rdi: 0x400000n });
    expect(o.fault).toEqual({ vector: Vector.PF, errorCode: USER, address: NEXT_PAGE });
    expect(o.m.cpu.getReg(R.rcx)).toBe(4n);
  });

  it("rep lodsb runs a count with the top bit set instead of treating it as negative", () => {
    const o = run("f3ac", { rcx: 0x8000000000000010n, rsi: BigInt(NEXT_PAGE - 2) }, (m) => m.poke(NEXT_PAGE - 2, Uint8Array.of(0x11, 0x22)));
    expect(o.fault?.address).toBe(NEXT_PAGE);
    expect(o.m.cpu.getReg(R.rax) & 0xffn).toBe(0x22n);
    expect(o.m.cpu.getReg(R.rcx)).toBe(0x800000000000000en);
  });
});

// Which fault cmps reports when both operands would fault: the order the host (AMD) shows in
// the differential fixtures (the SDM leaves it open).
describe("cmps fault order", () => {
  const KERNEL = 0xffffffffffffff80n;
  const BAD = 0x0800000000000000n; // non-canonical
  it("without rep, es:[rdi] first", () => {
    const o = run("a6", { rsi: 0x21n, rdi: 0x26n });
    expect(o.fault?.address).toBe(0x26);
  });
  it("without rep, #GP for a non-canonical operand before a page fault on the other", () => {
    expect(run("a6", { rsi: 0x21n, rdi: BAD }).fault?.vector).toBe(Vector.GP);
    expect(run("a6", { rsi: BAD, rdi: 0x26n }).fault?.vector).toBe(Vector.GP);
  });
  it("with rep, a user-half fault before a kernel-half one, and page faults before #GP", () => {
    expect(run("f3a6", { rcx: 1n, rsi: 0xffn, rdi: KERNEL }).fault?.address).toBe(0xff);
    expect(run("f3a6", { rcx: 1n, rsi: 0x1en, rdi: BAD }).fault).toEqual({ vector: Vector.PF, errorCode: USER, address: 0x1e });
    expect(run("f3a6", { rcx: 1n, rsi: KERNEL, rdi: BAD }).fault?.vector).toBe(Vector.PF);
    expect(run("f3a6", { rcx: 1n, rsi: BAD, rdi: 0xan }).fault?.address).toBe(0xa);
  });
});
