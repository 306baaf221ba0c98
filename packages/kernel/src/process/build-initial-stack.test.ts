import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GUEST_DIR } from "../elf/guest-binaries.js";
import { planLoad, planProgramLoad } from "../elf/load-plan.js";
import { parseElf } from "../elf/parse-elf.js";
import { readFileSync } from "node:fs";
import * as at from "./auxv-type.js";
import { buildInitialStack, type AuxvValues, type InitialStackInput } from "./build-initial-stack.js";
import { readInitialStack } from "./read-initial-stack.js";
import { StackLayoutError } from "./stack-layout-error.js";

const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const AUXV: AuxvValues = { phdr: 0x400040, phent: 56, phnum: 7, entry: 0x401234, base: 0, random: RANDOM, hwcap: 0x178bfbff, hwcap2: 2 };

describe("buildInitialStack lays the stack out as Linux does", () => {
  it("a one-argument program, worked out by hand from Linux's rules", () => {
    const stack = buildInitialStack({ argv: ["/a"], envp: ["X=1"], auxv: AUXV, stackTop: 0x1_0000_0000 });
    // 8 zero bytes under the top, then "/a\0" (AT_EXECFN) at 0xfffffff5; argv and envp strings
    // below it: "/a\0" at 0xffffffee, "X=1\0" at 0xfffffff1.
    expect(stack.execfnAddress).toBe(0xfffffff5);
    expect(stack.argvAddresses).toEqual([0xffffffee]);
    expect(stack.envpAddresses).toEqual([0xfffffff1]);
    // Aligned down to 0xffffffe0; "x86_64\0" (7 bytes) at 0xffffffd9; 16 random bytes at 0xffffffc9.
    expect(stack.platformAddress).toBe(0xffffffd9);
    expect(stack.randomAddress).toBe(0xffffffc9);
    // argc, argv, NULL, envp, NULL and 19 auxv pairs = 43 words = 344 bytes below 0xffffffc9,
    // rounded down to 16: 0xfffffe70.
    expect(stack.rsp).toBe(0xfffffe70);
    expect(stack.base).toBe(stack.rsp);
    expect(stack.bytes.length).toBe(0x1_0000_0000 - 0xfffffe70);
    const at = (address: number) => address - stack.rsp;
    const view = new DataView(stack.bytes.buffer);
    expect(view.getBigUint64(at(0xfffffe70), true)).toBe(1n); // argc
    expect(view.getBigUint64(at(0xfffffe78), true)).toBe(0xffffffeen); // argv[0]
    expect(view.getBigUint64(at(0xfffffe80), true)).toBe(0n);
    expect(view.getBigUint64(at(0xfffffe88), true)).toBe(0xfffffff1n); // envp[0]
    expect(view.getBigUint64(at(0xfffffe90), true)).toBe(0n);
    expect(new TextDecoder().decode(stack.bytes.subarray(at(0xffffffd9), at(0xffffffe0)))).toBe("x86_64\0");
    expect(stack.bytes.subarray(at(0xffffffc9), at(0xffffffd9))).toEqual(RANDOM);
    expect(new TextDecoder().decode(stack.bytes.subarray(at(0xffffffee)))).toBe("/a\0X=1\0/a\0\0\0\0\0\0\0\0\0");
  });

  it("writes the auxv keys in Linux's order with the fixed values Nanos programs expect", () => {
    const stack = buildInitialStack({
      argv: ["prog"],
      envp: [],
      auxv: { ...AUXV, base: 0x7f0000000000, sysinfoEhdr: 0x7fff0000, minSigStackSize: 0xd30 },
      stackTop: 0x80000000,
    });
    expect(stack.auxv).toEqual([
      [at.AT_SYSINFO_EHDR, 0x7fff0000],
      [at.AT_MINSIGSTKSZ, 0xd30],
      [at.AT_HWCAP, 0x178bfbff],
      [at.AT_PAGESZ, 4096],
      [at.AT_CLKTCK, 100],
      [at.AT_PHDR, 0x400040],
      [at.AT_PHENT, 56],
      [at.AT_PHNUM, 7],
      [at.AT_BASE, 0x7f0000000000],
      [at.AT_FLAGS, 0],
      [at.AT_ENTRY, 0x401234],
      [at.AT_UID, 0],
      [at.AT_EUID, 0],
      [at.AT_GID, 0],
      [at.AT_EGID, 0],
      [at.AT_SECURE, 0],
      [at.AT_RANDOM, stack.randomAddress],
      [at.AT_HWCAP2, 2],
      [at.AT_EXECFN, stack.execfnAddress],
      [at.AT_PLATFORM, stack.platformAddress],
      [at.AT_NULL, 0],
    ]);
  });

  it("keeps RSP 16-byte aligned for every parity of argc and envc", () => {
    for (let argc = 0; argc < 4; argc++) {
      for (let envc = 0; envc < 4; envc++) {
        const stack = buildInitialStack({
          argv: Array.from({ length: argc }, (_, i) => "a".repeat(i + 1)),
          envp: Array.from({ length: envc }, (_, i) => `E${i}=${"v".repeat(i)}`),
          auxv: AUXV,
          stackTop: 0x7ffffffff000,
        });
        expect(stack.rsp % 16).toBe(0);
        // The gap between the end of the auxv and at.AT_RANDOM is only the rounding: under 16 bytes.
        const auxvEnd = stack.rsp + 8 * (3 + argc + envc) + 16 * stack.auxv.length;
        expect(stack.randomAddress - auxvEnd).toBeGreaterThanOrEqual(0);
        expect(stack.randomAddress - auxvEnd).toBeLessThan(16);
      }
    }
  });

  it("encodes strings as UTF-8", () => {
    const stack = buildInitialStack({ argv: ["é", "日本"], envp: ["LANG=ü"], auxv: AUXV, stackTop: 0x10000 });
    expect(stack.argvAddresses[1]! - stack.argvAddresses[0]!).toBe(3);
    expect(stack.envpAddresses[0]! - stack.argvAddresses[1]!).toBe(7);
    const back = readInitialStack(stack.bytes, stack.base, stack.rsp);
    expect(back.argv.map((s) => s.value)).toEqual(["é", "日本"]);
    expect(back.envp.map((s) => s.value)).toEqual(["LANG=ü"]);
  });

  describe("rejects what cannot be laid out", () => {
    const cases: [string, Partial<InitialStackInput>, RegExp][] = [
      ["a misaligned top", { stackTop: 0x1008 }, /16-byte aligned/],
      ["a zero top", { stackTop: 0 }, /positive 16-byte aligned/],
      ["a NUL inside an argument", { argv: ["a\0b"] }, /argv\[0\] contains a NUL/],
      ["a NUL inside the environment", { envp: ["A=\0"] }, /envp\[0\] contains a NUL/],
      ["AT_RANDOM of the wrong size", { auxv: { ...AUXV, random: new Uint8Array(8) } }, /exactly 16 bytes, got 8/],
      ["a negative auxv value", { auxv: { ...AUXV, entry: -1 } }, /AT_ENTRY must be a non-negative integer/],
      ["a fractional auxv value", { auxv: { ...AUXV, hwcap: 1.5 } }, /AT_HWCAP must be a non-negative integer/],
      ["an extra AT_NULL", { auxv: { ...AUXV, extra: [[0, 0]] } }, /cannot be AT_NULL/],
      ["too much to fit", { argv: ["x".repeat(600 * 1024)] }, /more than the 524288-byte limit \(E2BIG\)/],
      ["a top too low for the stack", { stackTop: 0x100 }, /too low/],
    ];
    for (const [name, change, message] of cases) {
      it(name, () => {
        const input: InitialStackInput = { argv: ["/p"], envp: [], auxv: AUXV, stackTop: 0x10000, ...change };
        expect(() => buildInitialStack(input)).toThrow(StackLayoutError);
        expect(() => buildInitialStack(input)).toThrow(message);
      });
    }
  });
});

interface NativeDump {
  sp: number;
  argv: { address: number; value: string }[];
  envp: { address: number; value: string }[];
  auxv: [number, number][];
  distances: Map<string, number>;
}

/** Runs guest/bin/<name>/auxv natively and parses what it printed about its own stack. */
function runNativeAuxv(flavour: string, args: string[], env: Record<string, string>): NativeDump {
  const path = `${GUEST_DIR}bin/${flavour}/auxv`;
  const run = spawnSync(path, args, { env, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  const dump: NativeDump = { sp: 0, argv: [], envp: [], auxv: [], distances: new Map() };
  for (const line of run.stdout.split("\n")) {
    const [kind, a, b, ...rest] = line.split(" ");
    if (kind === "sp") dump.sp = Number(a);
    if (kind === "argv" || kind === "envp") dump[kind].push({ address: Number(b), value: rest.join(" ") });
    if (kind === "auxv") dump.auxv.push([Number(a), Number(b)]);
    if (kind === "distance") dump.distances.set(a as string, Number(b));
  }
  return dump;
}

describe("buildInitialStack matches the stack Linux gives a real process (guest/src/auxv.c)", () => {
  for (const flavour of ["musl", "glibc", "glibc-static-pie"]) {
    it(`${flavour}/auxv run natively: same strings, pointers, auxv order and distances`, () => {
      const native = runNativeAuxv(flavour, ["first", "second arg", ""], { A: "1", BB: "22", LONGER_NAME: "with spaces and = signs" });
      const image = parseElf(new Uint8Array(readFileSync(`${GUEST_DIR}bin/${flavour}/auxv`)));
      const linux = new Map(native.auxv);
      // A PIE goes where Linux's ASLR put it: the bias is what separates the two entry points.
      const plan = image.pie ? planLoad(image, linux.get(at.AT_ENTRY)! - image.entry) : planProgramLoad(image);
      const execfn = native.argv[0]!.value;
      // The same top as Linux (the 8 zero bytes end it), and the entries Linux adds beyond ours.
      const stackTop = linux.get(at.AT_EXECFN)! + Buffer.byteLength(execfn) + 1 + 8;
      const ours = buildInitialStack({
        argv: native.argv.map((s) => s.value),
        envp: native.envp.map((s) => s.value),
        stackTop,
        auxv: {
          phdr: plan.phdrAddress!,
          phent: 56,
          phnum: image.phnum,
          entry: plan.entry,
          base: 0,
          random: RANDOM,
          hwcap: linux.get(at.AT_HWCAP)!,
          hwcap2: linux.get(at.AT_HWCAP2)!,
          sysinfoEhdr: linux.get(at.AT_SYSINFO_EHDR),
          minSigStackSize: linux.get(at.AT_MINSIGSTKSZ),
          execfn,
          extra: native.auxv.slice(native.auxv.findIndex(([k]) => k === at.AT_PLATFORM) + 1, -1),
        },
      });
      expect(stackTop % 4096).toBe(0);
      // Strings sit at exactly the addresses Linux used: their layout has no randomness.
      expect(ours.argvAddresses).toEqual(native.argv.map((s) => s.address));
      expect(ours.envpAddresses).toEqual(native.envp.map((s) => s.address));
      expect(ours.execfnAddress).toBe(linux.get(at.AT_EXECFN));
      // Below the strings Linux leaves a random gap; measured from AT_PLATFORM everything agrees.
      const shift = linux.get(at.AT_PLATFORM)! - ours.platformAddress;
      expect(shift % 16 === 0).toBe(true);
      expect(ours.rsp + shift).toBe(native.sp);
      expect(ours.randomAddress + shift).toBe(linux.get(at.AT_RANDOM));
      const relocated = ours.auxv.map(([k, v]): [number, number] => [k, k === at.AT_RANDOM || k === at.AT_PLATFORM ? v + shift : v]);
      // Every entry, in order: including AT_PHDR and AT_ENTRY from our own ELF load plan.
      expect(relocated).toEqual(native.auxv);
      expect(native.distances.get("random-auxvend")).toBe(ours.randomAddress - (ours.rsp + 8 * (3 + native.argv.length + native.envp.length) + 16 * ours.auxv.length));
      expect(native.distances.get("platform-random")).toBe(16);
    });
  }
});
