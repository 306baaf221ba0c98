// Hostile input: random encodings in the SSE opcode maps, over random registers and a mix of
// mapped, read-only and unmapped memory, must end in a normal completion or an architectural
// fault (#GP, #PF, #XM, #UD), never a host exception or a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decode } from "../../decoder/decode.js";
import { DecodedInstruction } from "../../decoder/decoded-instruction.js";
import { BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";
import { executeOne } from "./execute-one.js";
import { SSE_HANDLERS } from "./sse-handlers.js";

const CODE = 0x400000;
const DATA = 0x10000000;

const machine = new BareMachine({ memoryBytes: 4 << 20 });
machine.map(CODE, 0x1000, { write: true, execute: true });
machine.map(DATA, 0x1000, { write: true });
machine.map(DATA + 0x1000, 0x1000, {}); // read-only; DATA + 0x2000 is unmapped

const PREFIXES = [[], [0x66], [0xf3], [0xf2], [0x66, 0x48], [0xf2, 0x48], [0x48], [0x44]];
const MAPS = [[0x0f], [0x0f, 0x38], [0x0f, 0x3a]];
const decoded = new DecodedInstruction();

describe("SSE handlers under random encodings and state", () => {
  it("complete or raise an architectural fault", () => {
    let ran = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...PREFIXES),
        fc.constantFrom(...MAPS),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 256, maxLength: 256 }),
        fc.array(fc.integer(), { minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 0xffff }),
        (prefix, map, tail, xmm, gpr, mxcsr) => {
          const code = Uint8Array.from([...prefix, ...map, ...tail]);
          decode(decoded, code, 0, CODE);
          if (decoded.error !== 0 || SSE_HANDLERS[decoded.mnemonic] === undefined) return;
          const cpu = machine.cpu;
          cpu.xmm.set(xmm);
          cpu.gpr.set(gpr);
          // Addresses: mostly inside the three data pages so memory forms run, sometimes wild.
          for (const r of [0, 1, 2, 3, 6, 7]) if (gpr[r]! % 4 !== 0) cpu.setRegNumber(r, DATA + ((gpr[r]! >>> 0) % 0x3000));
          cpu.setRegNumber(5, DATA);
          cpu.mxcsr = mxcsr;
          const exit = executeOne(machine, code, CODE);
          ran++;
          if (exit === Exit.Fault) expect([Vector.GP, Vector.SS, Vector.PF, Vector.XM, Vector.UD]).toContain(cpu.fault.vector);
          else expect(exit).toBe(Exit.Budget);
        },
      ),
      { numRuns: 5000 },
    );
    expect(ran).toBeGreaterThan(400);
  });
});
