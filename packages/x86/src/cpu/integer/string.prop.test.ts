import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Flag } from "../flags.js";
import { DATA, R, run } from "./test-machine.js";

/** The region of the data page the cases use: small, so failures shrink and compare quickly. */
const REGION = 512;
const MOVS: Record<number, string> = { 1: "f3a4", 2: "66f3a5", 4: "f3a5", 8: "f348a5" };
const STOS: Record<number, string> = { 1: "f3aa", 2: "66f3ab", 4: "f3ab", 8: "f348ab" };

/** The SDM's element-by-element meaning of rep movs/stos over a copy of the page. */
function model(page: Uint8Array, store: boolean, size: number, src: number, dst: number, count: number, step: number, rax: bigint): Uint8Array {
  const out = page.slice();
  for (let k = 0; k < count; k++) {
    // Each element is read whole before it is written (they may overlap).
    const element = store ? Uint8Array.from({ length: size }, (_, b) => Number((rax >> BigInt(8 * b)) & 0xffn)) : out.slice(src + k * step, src + k * step + size);
    out.set(element, dst + k * step);
  }
  return out;
}

// Random, often overlapping, rep movs/stos inside the data page in both directions, against the
// model: the whole-page block copies the handler takes must agree with element-by-element
// execution.
describe("rep movs/stos (property)", () => {
  it("agree with the element-by-element model", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8),
        fc.boolean(),
        fc.boolean(),
        fc.nat({ max: REGION - 1 }),
        fc.nat({ max: REGION - 1 }),
        fc.nat({ max: 80 }),
        fc.uint8Array({ minLength: REGION, maxLength: REGION }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (size, store, backward, a, b, wanted, page, rax) => {
          const step = backward ? -size : size;
          // Keep every element of both ranges on the page.
          const room = (at: number): number => Math.floor((backward ? at : REGION - size - at) / size) + 1;
          const src = Math.min(a, REGION - size);
          const dst = Math.min(b, REGION - size);
          const count = Math.min(wanted, room(src), room(dst));
          const code = (store ? STOS : MOVS)[size]!;
          const flags = 0x202 | (backward ? Flag.DF : 0);
          const o = run(code, { rcx: BigInt(count), rsi: BigInt(DATA + src), rdi: BigInt(DATA + dst), rax }, (m) => m.poke(DATA, page), flags);
          expect(o.fault).toBeUndefined();
          const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
          expect(hex(o.m.peek(DATA, REGION))).toBe(hex(model(page, store, size, src, dst, count, step, rax)));
          expect(o.m.cpu.getReg(R.rcx)).toBe(0n);
          expect(o.m.cpu.getReg(R.rdi)).toBe(BigInt(DATA + dst + count * step));
          if (!store) expect(o.m.cpu.getReg(R.rsi)).toBe(BigInt(DATA + src + count * step));
        },
      ),
      { numRuns: 150 },
    );
  });
});
