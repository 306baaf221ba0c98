import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "./decode-error.js";
import { DecodedInstruction } from "./decoded-instruction.js";
import { decode } from "./decode.js";

const ins = new DecodedInstruction();

describe("decode on hostile input", () => {
  it("never throws, never claims bytes past the end, never exceeds 15 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.nat(24), fc.nat(24), (bytes, offset, cut) => {
        const start = Math.min(offset, bytes.length);
        const end = Math.min(bytes.length, start + cut);
        const n = decode(ins, bytes, start, 0, end);
        expect(n).toBe(ins.length);
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(15);
        if (ins.error === DecodeError.None) expect(start + n).toBeLessThanOrEqual(end);
      }),
      { numRuns: 20_000 },
    );
  });

  it("in 32-bit mode too: never throws, never claims bytes past the end, never exceeds 15 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.nat(24), (bytes, cut) => {
        const end = Math.min(bytes.length, cut);
        const n = decode(ins, bytes, 0, 0, end, 32);
        expect(n).toBe(ins.length);
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(15);
        if (ins.error === DecodeError.None) expect(n).toBeLessThanOrEqual(end);
      }),
      { numRuns: 10_000 },
    );
  });

  it("a valid instruction decodes the same with nothing after it, and as truncated when cut short", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 15, maxLength: 15 }), (bytes) => {
        decode(ins, bytes, 0, 0x1000);
        if (ins.error !== DecodeError.None) return;
        const { length, mnemonic, form } = ins;
        decode(ins, bytes.slice(0, length), 0, 0x1000);
        expect([ins.error, ins.length, ins.mnemonic, ins.form]).toEqual([DecodeError.None, length, mnemonic, form]);
        decode(ins, bytes, 0, 0x1000, length - 1);
        expect(ins.error).toBe(DecodeError.Truncated);
      }),
      { numRuns: 20_000 },
    );
  });

  it("does not depend on state left by a previous decode", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 15, maxLength: 15 }), fc.uint8Array({ minLength: 15, maxLength: 15 }), (a, b) => {
        const fresh = new DecodedInstruction();
        decode(fresh, b, 0, 0);
        decode(ins, a, 0, 0);
        decode(ins, b, 0, 0);
        expect({ ...ins }).toEqual({ ...fresh });
      }),
      { numRuns: 5_000 },
    );
  });
});
