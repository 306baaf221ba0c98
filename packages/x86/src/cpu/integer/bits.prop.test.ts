import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Flag } from "../flags.js";
import { DATA, R, run } from "./test-machine.js";

// bt qword [rbx], rax: the unit at rbx + (rax >> 6) * 8 (rax signed), modulo 2^64, bit rax & 63.
// The base and the offset are drawn so that their exact 64-bit sum lands in the data page, from
// bases anywhere in the 64-bit space: a number-based sum would round.
describe("bt with a register offset (property)", () => {
  it("finds the bit at base + offset / 8 computed modulo 2^64", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 511 }),
        fc.bigInt({ min: -(2n ** 57n), max: 2n ** 57n - 1n }),
        fc.integer({ min: 0, max: 63 }),
        fc.boolean(),
        (slot, units, bit, set) => {
          const target = BigInt(DATA + slot * 8);
          const rbx = BigInt.asUintN(64, target - units * 8n);
          const rax = BigInt.asUintN(64, units * 64n + BigInt(bit));
          const qword = set ? 1n << BigInt(bit) : ~(1n << BigInt(bit)) & 0xffffffffffffffffn;
          const bytes = new Uint8Array(8);
          new DataView(bytes.buffer).setBigUint64(0, qword, true);
          const o = run("480fa303", { rbx, rax }, (m) => m.poke(Number(target), bytes)); // bt [rbx], rax
          expect(o.fault).toBeUndefined();
          expect((o.m.cpu.rflags & Flag.CF) !== 0).toBe(set);
          expect(o.m.cpu.getReg(R.rax)).toBe(rax);
        },
      ),
      { numRuns: 100 },
    );
  });
});
