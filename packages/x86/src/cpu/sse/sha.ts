// SHA extensions (SHA-NI): the SHA-1 and SHA-256 round and message-schedule instructions, on
// 32-bit lanes, as the Intel SDM defines them. Lane 3 is bits 127:96.
import type { Cpu } from "../cpu.js";
import type { Handler, Instr } from "../instr.js";
import { Lanes } from "./lanes.js";
import { loadOperand, xmmWords } from "./operands.js";

const rol = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;
const ror = (x: number, n: number): number => ((x >>> n) | (x << (32 - n))) >>> 0;
const add = (...v: number[]): number => v.reduce((a, b) => (a + b) >>> 0, 0);

const source = new Lanes();

/** Runs `op` on the destination's lanes (d[3] = bits 127:96) and the source's; writes the result. */
function sha(op: (d: number[], s: number[], cpu: Cpu, i: Instr) => number[]): Handler {
  return (cpu, i) => {
    loadOperand(cpu, i, i.k1, i.r1, 16, source, true);
    const x = xmmWords(cpu);
    const base = 4 * (i.r0 & 31);
    const d = [x[base]! >>> 0, x[base + 1]! >>> 0, x[base + 2]! >>> 0, x[base + 3]! >>> 0];
    const s = [source.u32[0]!, source.u32[1]!, source.u32[2]!, source.u32[3]!];
    const r = op(d, s, cpu, i);
    for (let k = 0; k < 4; k++) x[base + k] = r[k]! | 0;
  };
}

const SHA1_K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

function sha1f(n: number, b: number, c: number, d: number): number {
  if (n === 0) return ((b & c) ^ (~b & d)) >>> 0;
  if (n === 2) return ((b & c) ^ (b & d) ^ (c & d)) >>> 0;
  return (b ^ c ^ d) >>> 0;
}

const Sigma0 = (a: number): number => (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) >>> 0;
const Sigma1 = (e: number): number => (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) >>> 0;
const sigma0 = (w: number): number => (ror(w, 7) ^ ror(w, 18) ^ (w >>> 3)) >>> 0;
const sigma1 = (w: number): number => (ror(w, 17) ^ ror(w, 19) ^ (w >>> 10)) >>> 0;

/** Handlers of the SHA extensions. */
export const SHA_HANDLERS: Record<string, Handler> = {
  sha1rnds4: sha((d, s, _cpu, i) => {
    const n = i.imm & 3;
    let [a, b, c, dd] = [d[3]!, d[2]!, d[1]!, d[0]!];
    let e = 0;
    const w = [s[3]!, s[2]!, s[1]!, s[0]!];
    for (let k = 0; k < 4; k++) {
      const next = add(sha1f(n, b, c, dd), rol(a, 5), w[k]!, e, SHA1_K[n]!);
      e = dd;
      dd = c;
      c = rol(b, 30);
      b = a;
      a = next;
    }
    return [dd, c, b, a];
  }),
  sha1nexte: sha((d, s) => [s[0]!, s[1]!, s[2]!, add(s[3]!, rol(d[3]!, 30))]),
  sha1msg1: sha((d, s) => [(d[0]! ^ s[2]!) >>> 0, (d[1]! ^ s[3]!) >>> 0, (d[2]! ^ d[0]!) >>> 0, (d[3]! ^ d[1]!) >>> 0]),
  sha1msg2: sha((d, s) => {
    const w16 = rol((d[3]! ^ s[2]!) >>> 0, 1);
    const w17 = rol((d[2]! ^ s[1]!) >>> 0, 1);
    const w18 = rol((d[1]! ^ s[0]!) >>> 0, 1);
    const w19 = rol((d[0]! ^ w16) >>> 0, 1);
    return [w19, w18, w17, w16];
  }),
  sha256rnds2: sha((d, s, cpu) => {
    const x0 = xmmWords(cpu);
    const wk = [x0[0]! >>> 0, x0[1]! >>> 0];
    let [a, b, e, f] = [s[3]!, s[2]!, s[1]!, s[0]!];
    let [c, dd, g, h] = [d[3]!, d[2]!, d[1]!, d[0]!];
    for (let k = 0; k < 2; k++) {
      const ch = ((e & f) ^ (~e & g)) >>> 0;
      const maj = ((a & b) ^ (a & c) ^ (b & c)) >>> 0;
      const t = add(ch, Sigma1(e), wk[k]!, h);
      const nextA = add(t, maj, Sigma0(a));
      const nextE = add(t, dd);
      [h, g, f, e] = [g, f, e, nextE];
      [dd, c, b, a] = [c, b, a, nextA];
    }
    return [f, e, b, a];
  }),
  sha256msg1: sha((d, s) => [add(d[0]!, sigma0(d[1]!)), add(d[1]!, sigma0(d[2]!)), add(d[2]!, sigma0(d[3]!)), add(d[3]!, sigma0(s[0]!))]),
  sha256msg2: sha((d, s) => {
    const w16 = add(d[0]!, sigma1(s[2]!));
    const w17 = add(d[1]!, sigma1(s[3]!));
    const w18 = add(d[2]!, sigma1(w16));
    const w19 = add(d[3]!, sigma1(w17));
    return [w16, w17, w18, w19];
  }),
};
