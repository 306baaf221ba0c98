import fc from "fast-check";
import { DecodedInstruction, decode } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { parseElf } from "../elf/parse-elf.js";
import { buildVdso } from "./build-vdso.js";
import { glibcVdsoVsym, goVdsoLookup, MappedImage, muslVdsoSym } from "./reference-lookups.js";
import { elfHash, gnuHash } from "./symbol-hash.js";
import type { VdsoFunction } from "./vdso-function.js";

const symbolName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.@$]{0,24}$/);

/** Function tables with distinct names: each function takes one name, plus 0-2 aliases. */
const functionTables = fc
  .uniqueArray(symbolName, { minLength: 1, maxLength: 60 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: names.length, maxLength: names.length }),
      fc.array(fc.integer({ min: 0, max: 0x7fffffff }), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, aliasCounts, syscalls]) => {
    const functions: VdsoFunction[] = [];
    let next = 0;
    for (let i = 0; next < names.length; i++) {
      const count = Math.min(aliasCounts[i] ?? 0, names.length - next - 1);
      functions.push({ name: names[next] as string, aliases: names.slice(next + 1, next + 1 + count), syscall: syscalls[i] as number });
      next += 1 + count;
    }
    return functions;
  });

const pageAlignedBase = fc.integer({ min: 1, max: 2 ** 35 - 1 }).map((page) => page * 4096);
const versionName = fc.stringMatching(/^[A-Z][A-Z0-9_.]{0,15}$/);

/** The syscall number of `mov eax, N; syscall; ret` at `offset`, or undefined for other code. */
function stubNumber(bytes: Uint8Array, offset: number): number | undefined {
  const ins = new DecodedInstruction();
  const mnemonics: string[] = [];
  let nr: number | undefined;
  for (let at = offset; mnemonics.length < 3; ) {
    at += decode(ins, bytes, at, at);
    if (ins.error !== 0) return undefined;
    if (mnemonics.length === 0 && ins.mnemonic === "mov" && ins.operandSize === 4) nr = ins.immediate >>> 0;
    mnemonics.push(ins.mnemonic);
  }
  return mnemonics.join(" ") === "mov syscall ret" ? nr : undefined;
}

describe("buildVdso properties", () => {
  it("every exported name resolves, for musl, glibc (both tables) and Go (both tables), to code making its syscall", () => {
    fc.assert(
      fc.property(functionTables, pageAlignedBase, versionName, (functions, base, version) => {
        const vdso = buildVdso({ functions, version });
        parseElf(vdso.bytes);
        const m = new MappedImage(vdso.bytes, base);
        const names = functions.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
        const keys = names.map((name) => ({ name, symHash: elfHash(name), gnuHash: gnuHash(name) }));
        const goGnu = goVdsoLookup(m, version, elfHash(version), keys, "gnu");
        const goSysv = goVdsoLookup(m, version, elfHash(version), keys, "sysv");
        for (const f of functions) {
          for (const name of [f.name, ...(f.aliases ?? [])]) {
            const offset = vdso.symbols.get(name) as number;
            expect(stubNumber(vdso.bytes, offset)).toBe(f.syscall);
            const address = base + offset;
            expect(muslVdsoSym(m, version, name)).toBe(address);
            expect(glibcVdsoVsym(m, name, version, elfHash(version), "gnu")).toBe(address);
            expect(glibcVdsoVsym(m, name, version, elfHash(version), "sysv")).toBe(address);
            expect(goGnu.get(name)).toBe(address);
            expect(goSysv.get(name)).toBe(address);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a name that is not exported, or the wrong version, resolves to nothing", () => {
    fc.assert(
      fc.property(functionTables, symbolName, pageAlignedBase, (functions, other, base) => {
        const names = functions.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
        fc.pre(!names.includes(other));
        const m = new MappedImage(buildVdso({ functions }).bytes, base);
        expect(muslVdsoSym(m, "LINUX_2.6", other)).toBe(0);
        expect(glibcVdsoVsym(m, other, "LINUX_2.6", elfHash("LINUX_2.6"), "gnu")).toBe(0);
        expect(glibcVdsoVsym(m, other, "LINUX_2.6", elfHash("LINUX_2.6"), "sysv")).toBe(0);
        const key = { name: other, symHash: elfHash(other), gnuHash: gnuHash(other) };
        expect(goVdsoLookup(m, "LINUX_2.6", elfHash("LINUX_2.6"), [key], "gnu").size).toBe(0);
        expect(goVdsoLookup(m, "LINUX_2.6", elfHash("LINUX_2.6"), [key], "sysv").size).toBe(0);
        const first = names[0] as string;
        expect(muslVdsoSym(m, "LINUX_2.7", first)).toBe(0);
        expect(glibcVdsoVsym(m, first, "LINUX_2.7", elfHash("LINUX_2.7"))).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
