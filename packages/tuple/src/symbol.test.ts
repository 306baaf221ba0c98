import { describe, expect, it, vi } from "vitest";

describe("symbols", () => {
  it("the first symbol of a process gets the first xorshift output, s0 + s1 of the Nanos seed", async () => {
    vi.resetModules();
    const { intern } = await import("./symbol.js");
    const first = intern("first-symbol-of-this-module-instance");
    expect(first.key).toBe(0x6495149aa07420a8n);
    expect(first.hash).toBe(0xa07420a8);
  });

  it("keys are deterministic for a given interning order, and differ between symbols", async () => {
    const keys = async () => {
      vi.resetModules();
      const { intern } = await import("./symbol.js");
      return ["children", "a", "b", "children", "filelength"].map((n) => intern(n).key);
    };
    const run1 = await keys();
    expect(await keys()).toEqual(run1);
    expect(run1[0]).toBe(run1[3]);
    expect(new Set(run1).size).toBe(4);
  });

  it("interning returns one object per name, from text or from bytes", async () => {
    const { intern, internBytes, internU64, sym } = await import("./symbol.js");
    const bytes = new TextEncoder().encode("xhéllo");
    expect(intern("héllo")).toBe(internBytes(bytes, 1));
    expect(sym("héllo")).toBe(intern("héllo"));
    expect(internU64(42)).toBe(intern("42"));
    expect(internU64(18446744073709551615n)).toBe(intern("18446744073709551615"));
    expect(Array.from(intern("é").bytes)).toEqual([0xc3, 0xa9]);
  });

  it("keeps names that are not UTF-8 exact and apart from their lossy text", async () => {
    const { intern, internBytes } = await import("./symbol.js");
    const odd = internBytes(new Uint8Array([0x61, 0xff]));
    expect(odd).not.toBe(intern("a\uFFFD"));
    expect(odd.name).toBe("a\uFFFD");
    expect(Array.from(odd.bytes)).toEqual([0x61, 0xff]);
    expect(internBytes(new Uint8Array([0x61, 0xff]))).toBe(odd);
  });

  it("a name with a lone surrogate is interned as what it encodes to", async () => {
    const { intern } = await import("./symbol.js");
    expect(intern("x\uD800")).toBe(intern("x\uFFFD"));
  });

  it("cannot be constructed directly", async () => {
    const { Sym } = await import("./symbol.js");
    expect(() => new Sym(Symbol("fake"), "x", undefined)).toThrow(TypeError);
  });
});
