import { describe, expect, it } from "vitest";
import { AES_OPS, gfMul, subByte } from "./aes.js";
import { INTEGER_OPS, SHIFT_IMM_OPS } from "./integer-ops.js";
import { Lanes } from "./lanes.js";

function lanes(hex: string): Lanes {
  const l = new Lanes();
  l.u8.set(hex.match(/../g)!.map((b) => parseInt(b, 16)));
  return l;
}

function hexOf(l: Lanes): string {
  return [...l.u8].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function copy(l: Lanes): Lanes {
  const c = new Lanes();
  c.set(l);
  return c;
}

/** The AES-128 key schedule as compilers emit it: AESKEYGENASSIST, PSHUFD, PSLLDQ, PXOR. */
function expandKey(key: Lanes): Lanes[] {
  const keys = [copy(key)];
  for (const rcon of [1, 2, 4, 8, 16, 32, 64, 128, 0x1b, 0x36]) {
    const k = copy(keys[keys.length - 1]!);
    const t = new Lanes();
    AES_OPS.aeskeygenassist!(t, k, rcon, 16);
    INTEGER_OPS.pshufd!(t, copy(t), 0xff, 16);
    // k ^= (k << 32) ^ (k << 64) ^ (k << 96), then the substituted, rotated word
    const s1 = copy(k);
    SHIFT_IMM_OPS.pslldq!(s1, s1, 4, 16);
    INTEGER_OPS.pxor!(k, s1, 0, 16);
    SHIFT_IMM_OPS.pslldq!(s1, s1, 4, 16);
    INTEGER_OPS.pxor!(k, s1, 0, 16);
    SHIFT_IMM_OPS.pslldq!(s1, s1, 4, 16);
    INTEGER_OPS.pxor!(k, s1, 0, 16);
    INTEGER_OPS.pxor!(k, t, 0, 16);
    keys.push(copy(k));
  }
  return keys;
}

describe("AES-NI", () => {
  it("derives the FIPS-197 S-box (S(0x00)=0x63, S(0x53)=0xed) and GF(2^8) products ({57}·{83}={c1})", () => {
    expect(subByte(0x00)).toBe(0x63);
    expect(subByte(0x53)).toBe(0xed);
    expect(gfMul(0x57, 0x83)).toBe(0xc1);
  });

  it("encrypts and decrypts the FIPS-197 Appendix C.1 AES-128 vector", () => {
    const keys = expandKey(lanes("000102030405060708090a0b0c0d0e0f"));
    expect(hexOf(keys[10]!)).toBe("13111d7fe3944a17f307a78b4d2b30c5"); // FIPS-197 A.1 last round key
    const state = lanes("00112233445566778899aabbccddeeff");
    INTEGER_OPS.pxor!(state, keys[0]!, 0, 16);
    for (let r = 1; r < 10; r++) AES_OPS.aesenc!(state, keys[r]!, 0, 16);
    AES_OPS.aesenclast!(state, keys[10]!, 0, 16);
    expect(hexOf(state)).toBe("69c4e0d86a7b0430d8cdb78070b4c55a");

    INTEGER_OPS.pxor!(state, keys[10]!, 0, 16);
    for (let r = 9; r >= 1; r--) {
      const decryptKey = new Lanes();
      AES_OPS.aesimc!(decryptKey, keys[r]!, 0, 16);
      AES_OPS.aesdec!(state, decryptKey, 0, 16);
    }
    AES_OPS.aesdeclast!(state, keys[0]!, 0, 16);
    expect(hexOf(state)).toBe("00112233445566778899aabbccddeeff");
  });
});
