import { describe, expect, it } from "vitest";
import { auxvTypeName } from "./auxv-type.js";
import { buildInitialStack } from "./build-initial-stack.js";
import { readInitialStack } from "./read-initial-stack.js";

const built = () =>
  buildInitialStack({
    argv: ["/bin/x"],
    envp: ["K=V"],
    stackTop: 0x20000,
    auxv: { phdr: 0x400040, phent: 56, phnum: 3, entry: 0x401000, base: 0, random: new Uint8Array(16).fill(7), hwcap: 0, hwcap2: 0 },
  });

describe("readInitialStack", () => {
  it("reads argc, strings with their addresses, and the auxv", () => {
    const stack = built();
    const parsed = readInitialStack(stack.bytes, stack.base, stack.rsp);
    expect(parsed.argv).toEqual([{ address: stack.argvAddresses[0], value: "/bin/x" }]);
    expect(parsed.envp).toEqual([{ address: stack.envpAddresses[0], value: "K=V" }]);
    expect(parsed.auxvAddress).toBe(stack.rsp + 8 * 5);
    expect(parsed.random).toEqual(new Uint8Array(16).fill(7));
  });

  it("names what is broken", () => {
    const stack = built();
    const broken = (edit: (v: DataView) => void) => {
      const copy = stack.bytes.slice();
      edit(new DataView(copy.buffer));
      return () => readInitialStack(copy, stack.base, stack.rsp);
    };
    expect(broken((v) => v.setBigUint64(16, 5n, true))).toThrow(/argv\[argc\] at 0x[0-9a-f]+ is not NULL/);
    expect(broken((v) => v.setBigUint64(8, 0x10n, true))).toThrow(/argv\[0\] points to 0x10, outside the stack memory/);
    expect(broken((v) => v.setBigUint64(0, 1n << 60n, true))).toThrow(/argc at 0x[0-9a-f]+ is beyond 2\^53/);
    expect(broken((v) => v.setBigUint64(0, 100000n, true))).toThrow(/argc 100000 is larger than the stack can hold/);
    // Drop the terminating AT_NULL and everything after the auxv: the walk runs off the end.
    const bare = buildInitialStack({ argv: [], envp: [], stackTop: 0x20000, auxv: { phdr: 0, phent: 56, phnum: 0, entry: 0, base: 0, random: new Uint8Array(16), hwcap: 0, hwcap2: 0 } });
    const cut = bare.bytes.subarray(0, 8 * 3 + 16 * 3);
    expect(() => readInitialStack(cut, bare.base, bare.rsp)).toThrow(/auxv\[3\] type at 0x[0-9a-f]+ is outside the stack memory/);
  });

  it("names auxv types", () => {
    expect(auxvTypeName(25)).toBe("AT_RANDOM");
    expect(auxvTypeName(999)).toBe("AT_999");
  });
});
