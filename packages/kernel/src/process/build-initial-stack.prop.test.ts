import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AT_EXECFN, AT_NULL, AT_PLATFORM, AT_RANDOM } from "./auxv-type.js";
import { buildInitialStack } from "./build-initial-stack.js";
import { readInitialStack } from "./read-initial-stack.js";
import { StackLayoutError } from "./stack-layout-error.js";

const noNul = fc.string({ unit: "grapheme", maxLength: 24 }).filter((s) => !s.includes("\0"));
const input = fc.record({
  argv: fc.array(noNul, { maxLength: 8 }),
  envp: fc.array(noNul, { maxLength: 8 }),
  random: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  topPage: fc.integer({ min: 0x100, max: 0x7ffffffff }),
  topOffset: fc.nat({ max: 255 }),
  phdr: fc.nat({ max: 2 ** 47 }),
  entry: fc.nat({ max: 2 ** 47 }),
  base: fc.nat({ max: 2 ** 47 }),
  hwcap: fc.nat({ max: 0xffffffff }),
  sysinfoEhdr: fc.option(fc.nat({ max: 2 ** 47 }), { nil: undefined }),
  extra: fc.array(fc.tuple(fc.integer({ min: 1, max: 64 }), fc.nat()), { maxLength: 3 }),
});

describe("buildInitialStack properties", () => {
  it("reads back to exactly what was given, with Linux's alignment and ordering rules", () => {
    fc.assert(
      fc.property(input, (x) => {
        const stackTop = x.topPage * 4096 + x.topOffset * 16;
        const stack = buildInitialStack({
          argv: x.argv,
          envp: x.envp,
          stackTop,
          auxv: { phdr: x.phdr, phent: 56, phnum: 9, entry: x.entry, base: x.base, random: x.random, hwcap: x.hwcap, hwcap2: 0, sysinfoEhdr: x.sysinfoEhdr, extra: x.extra },
        });
        expect(stack.rsp % 16).toBe(0);
        expect(stack.base + stack.bytes.length).toBe(stackTop);

        const back = readInitialStack(stack.bytes, stack.base, stack.rsp);
        expect(back.argc).toBe(x.argv.length);
        expect(back.argv.map((s) => s.value)).toEqual(x.argv);
        expect(back.envp.map((s) => s.value)).toEqual(x.envp);
        expect(back.random).toEqual(x.random);
        expect(back.platform).toBe("x86_64");
        expect(back.execfn).toBe(x.argv[0] ?? "");
        expect(back.auxv).toEqual(stack.auxv);
        expect(back.auxv.at(-1)).toEqual([AT_NULL, 0]);
        expect(back.auxv.slice(-1 - x.extra.length, -1)).toEqual(x.extra);

        // Strings: argv then envp then AT_EXECFN, back to back, ending 8 bytes under the top.
        const all = [...back.argv, ...back.envp];
        for (let i = 1; i < all.length; i++) {
          expect(all[i]!.address).toBe(all[i - 1]!.address + Buffer.byteLength(all[i - 1]!.value) + 1);
        }
        const execfn = back.auxv.find(([k]) => k === AT_EXECFN)![1];
        if (all.length > 0) expect(execfn).toBe(all.at(-1)!.address + Buffer.byteLength(all.at(-1)!.value) + 1);
        expect(execfn + Buffer.byteLength(back.execfn!) + 1 + 8).toBe(stackTop);
        expect(stack.bytes.subarray(stack.bytes.length - 8).every((b) => b === 0)).toBe(true);

        // Platform string on a 16-byte boundary minus 7, AT_RANDOM right under it, and less
        // than 16 bytes of padding between the end of the auxv and AT_RANDOM.
        const platform = back.auxv.find(([k]) => k === AT_PLATFORM)![1];
        const random = back.auxv.find(([k]) => k === AT_RANDOM)![1];
        expect((platform + 7) % 16).toBe(0);
        expect(random).toBe(platform - 16);
        const auxvEnd = back.auxvAddress + 16 * back.auxv.length;
        expect(random - auxvEnd).toBeGreaterThanOrEqual(0);
        expect(random - auxvEnd).toBeLessThan(16);
        if (all.length > 0) expect(platform + 7).toBeLessThanOrEqual(all[0]!.address);
      }),
      { numRuns: 200 },
    );
  });
});

describe("readInitialStack on hostile memory", () => {
  it("returns or throws StackLayoutError, nothing else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.integer({ min: -64, max: 600 }), fc.nat({ max: 2 ** 40 }), (memory, offset, base) => {
        try {
          const parsed = readInitialStack(memory, base, base + offset);
          expect(parsed.auxv.at(-1)![0]).toBe(AT_NULL);
        } catch (e) {
          if (!(e instanceof StackLayoutError)) throw e;
        }
      }),
    );
  });

  it("on a real stack with random bytes overwritten", () => {
    const stack = buildInitialStack({
      argv: ["/prog", "-x"],
      envp: ["A=1"],
      stackTop: 0x10000,
      auxv: { phdr: 0x400040, phent: 56, phnum: 9, entry: 0x401000, base: 0, random: new Uint8Array(16), hwcap: 1, hwcap2: 0 },
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const memory = stack.bytes.slice();
        for (const [at, value] of edits) memory[at % memory.length] = value;
        try {
          readInitialStack(memory, stack.base, stack.rsp);
        } catch (e) {
          if (!(e instanceof StackLayoutError)) throw e;
        }
      }),
    );
  });
});
