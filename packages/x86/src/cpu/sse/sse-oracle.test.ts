// Replays fixtures/sse-oracle.txt.gz: every case was run on a real x86-64 CPU (see
// fixtures/generate.sh); the emulated instruction must leave XMM0-2, RAX/RCX/RDX, MM0/MM1,
// the memory operand, the status flags, MXCSR and whether it raised #XM (result and exception flags) bit-for-bit as the hardware did.
// The one allowance: RCPPS/RCPSS/RSQRTPS/RSQRTSS are approximations whose exact bits are
// implementation-specific (the SDM bounds their relative error by 1.5 * 2^-12), so their
// finite non-zero lanes are compared within twice that bound.
import { describe, expect, it } from "vitest";
import { type OracleCase, type OracleState, oracleMachine, readOracle, replay } from "./oracle-cases.js";

const cases = readOracle(new URL("./fixtures/sse-oracle.txt.gz", import.meta.url).pathname);
const APPROXIMATE = /^(rcp|rsqrt)(ps|ss)$/;

function f32Lanes(hex: string): Float32Array {
  return new Float32Array(Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))).buffer);
}

/** Lanes of an approximation agree within 2 * 1.5 * 2^-12, specials exactly. */
function approximatelyEqual(got: string, want: string, lanes: number): boolean {
  const g = f32Lanes(got);
  const w = f32Lanes(want);
  for (let k = 0; k < 4; k++) {
    const a = g[k]!;
    const b = w[k]!;
    const special = k >= lanes || !Number.isFinite(b) || b === 0 || Number.isNaN(b);
    if (special ? got.slice(8 * k, 8 * k + 8) !== want.slice(8 * k, 8 * k + 8) : Math.abs(a - b) > 3 * 2 ** -12 * Math.abs(b)) return false;
  }
  return true;
}

function mismatches(c: OracleCase, got: OracleState): string[] {
  const out: string[] = [];
  for (const key of Object.keys(c.output) as (keyof OracleState)[]) {
    const a = got[key];
    const b = c.output[key];
    if (a === b) continue;
    if (key === "x0" && APPROXIMATE.test(c.name) && approximatelyEqual(a as string, b as string, c.name.endsWith("ps") ? 4 : 1)) continue;
    out.push(`${key}: got ${a.toString(16)}, hardware ${b.toString(16)}`);
  }
  return out;
}

describe("SSE against the host CPU (fixtures/sse-oracle.txt.gz)", () => {
  it("has cases for every instruction of ops.list", () => {
    expect(cases.length).toBeGreaterThan(15000);
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThan(330);
  });

  const byName = new Map<string, OracleCase[]>();
  for (const c of cases) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const machine = oracleMachine();

  for (const [name, group] of byName) {
    it(`${name} (${group.length} cases)`, () => {
      const failures: string[] = [];
      for (const c of group) {
        const diff = mismatches(c, replay(machine, c));
        if (diff.length > 0) failures.push(`line ${c.line}: ${diff.join("; ")}`);
      }
      expect(failures.slice(0, 5)).toEqual([]);
    });
  }
});
