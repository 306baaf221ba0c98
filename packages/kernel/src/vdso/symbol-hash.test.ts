import { describe, expect, it } from "vitest";
import { elfHash, gnuHash } from "./symbol-hash.js";

describe("elfHash", () => {
  it("matches the precomputed hashes in Go's runtime (vdso_linux_amd64.go) and glibc's VDSO_HASH", () => {
    expect(elfHash("LINUX_2.6")).toBe(0x3ae75f6);
    expect(elfHash("LINUX_2.6")).toBe(61765110);
    expect(elfHash("__vdso_time")).toBe(0xa33c485);
    expect(elfHash("__vdso_gettimeofday")).toBe(0x315ca59);
    expect(elfHash("__vdso_clock_gettime")).toBe(0xd35ec75);
  });

  it("is 0 for the empty name and never exceeds 28 bits", () => {
    expect(elfHash("")).toBe(0);
    for (const name of ["a", "z".repeat(100), "__vdso_clock_getres", "\u00ff\u00fe"]) expect(elfHash(name)).toBeLessThan(2 ** 28);
  });
});

describe("gnuHash", () => {
  it("matches the precomputed hashes in Go's runtime", () => {
    expect(gnuHash("__vdso_gettimeofday")).toBe(0xb01bca00);
    expect(gnuHash("__vdso_clock_gettime")).toBe(0x6e43a318);
  });

  it("starts from 5381 and multiplies by 33 modulo 2^32", () => {
    expect(gnuHash("")).toBe(5381);
    expect(gnuHash("a")).toBe(5381 * 33 + 97);
    const long = "x".repeat(50);
    expect(gnuHash(long)).toBe([...long].reduce((h, c) => Number((BigInt(h) * 33n + BigInt(c.charCodeAt(0))) % 2n ** 32n), 5381));
  });
});
