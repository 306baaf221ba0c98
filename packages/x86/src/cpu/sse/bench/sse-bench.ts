// Benchmarks of the SSE emulation. Run from packages/x86:
//   node --conditions=@nanots/source --import tsx src/cpu/sse/bench/sse-bench.ts
// 1. float64/float32 lanes with the full MXCSR model (flags, rounding) against plain JS
//    arithmetic, which computes the same round-to-nearest values without any of it; once with
//    PE already set (a running program's steady state) and once with every exactness tested;
// 2. a guest loop of SSE instructions against a loop of as many integer instructions, both
//    run by the same Cpu: the cost of an SSE instruction relative to an integer one;
// 3. strlen over 1 MiB as glibc does it (16 bytes per PCMPEQB/PMOVMSKB step) against a byte
//    loop, both in the Cpu: what SSE buys a guest program here.
import { runSuites, type Contender } from "@nanots/bench-kit";
import { BareMachine } from "../../bare-machine.js";
import { addF32, addF64, divF64, mulF32, mulF64, sqrtF64 } from "../float-arith.js";
import { f32Bits, f32Value } from "../float-bits.js";
import { Mxcsr, beginFp } from "../mxcsr.js";

const N = 1 << 16;
const xs = new Float64Array(N);
const ys = new Float64Array(N);
for (let k = 0; k < N; k++) {
  xs[k] = (Math.sin(k) + 1.5) * 2 ** ((k % 64) - 32);
  ys[k] = (Math.cos(k * 7) + 1.25) * 2 ** ((k % 16) - 8);
}
const xb = Int32Array.from(xs, (x) => f32Bits(Math.fround(x)));
const yb = Int32Array.from(ys, (y) => f32Bits(Math.fround(y)));

function lanes64(add: (a: number, b: number) => number, mul: (a: number, b: number) => number, div: (a: number, b: number) => number, sqrt: (a: number) => number): number {
  let acc = 0;
  for (let k = 0; k < N; k++) acc = add(acc, sqrt(div(mul(xs[k]!, ys[k]!), ys[k]!)));
  return acc;
}

function lanes32(add: (a: number, b: number) => number, mul: (a: number, b: number) => number): number {
  let acc = 0;
  for (let k = 0; k < N; k++) acc = add(acc, mul(xb[k]!, yb[k]!));
  return f32Value(acc);
}

/** Our lanes under an MXCSR value (beginFp runs once: the lanes only read the mode). */
function ourLanes(mxcsr: number): () => Record<string, () => unknown> {
  return () => {
    beginFp(mxcsr);
    return {
      f64: () => lanes64(addF64, mulF64, divF64, sqrtF64),
      f32: () => lanes32(addF32, mulF32),
    };
  };
}

const floatContenders: Contender[] = [
  // A running program has PE set after its first inexact operation: the steady state.
  { name: "@nanots/x86 SSE lanes, PE already set", ours: true, make: ourLanes(Mxcsr.RESET | Mxcsr.PE) },
  { name: "@nanots/x86 SSE lanes, exactness tested", ours: true, make: ourLanes(Mxcsr.RESET) },
  {
    name: "plain JS arithmetic (no flags)",
    make: () => ({
      f64: () => lanes64((a, b) => a + b, (a, b) => a * b, (a, b) => a / b, Math.sqrt),
      f32: () =>
        lanes32(
          (a, b) => f32Bits(Math.fround(f32Value(a) + f32Value(b))),
          (a, b) => f32Bits(Math.fround(f32Value(a) * f32Value(b))),
        ),
    }),
  },
];

const ITERATIONS = 200_000;
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
// l: movapd xmm2,xmm0; mulpd xmm2,xmm1; addpd xmm3,xmm2; sqrtsd xmm4,xmm3; pshufb xmm5,xmm6;
//    paddd xmm5,xmm7; dec rcx; jnz l; int3
const SSE_LOOP = hex("660f28d0660f59d1660f58daf20f51e3660f3800ee660ffeef48ffc975e2cc");
// l: add rax,rbx; xor rdx,rax; imul rsi,rax; sub rdi,rdx; lea r8,[rax+rbx]; or r9,r8; dec rcx; jnz l; int3
const INTEGER_LOOP = hex("4801d84831c2480faff04829d74c8d04184d09c148ffc975e7cc");

function guestLoop(code: Uint8Array): () => number {
  const m = new BareMachine({ memoryBytes: 4 << 20 });
  m.load(code);
  return () => {
    m.cpu.rip = 0x400000;
    m.cpu.setRegNumber(1, ITERATIONS);
    const before = m.cpu.instructionsRetired;
    m.cpu.run(ITERATIONS * 8 + 1);
    return m.cpu.instructionsRetired - before;
  };
}

const STRING_BYTES = 1 << 20;
const STRING_AT = 0x10000000;
// l: movdqa xmm1,[rdi]; pcmpeqb xmm1,xmm0; pmovmskb eax,xmm1; add rdi,16; test eax,eax; jz l; int3
const SSE_STRLEN = hex("660f6f0f660f74c8660fd7c14883c71085c074eccc");
// l: cmp byte [rdi],0; lea rdi,[rdi+1]; jnz l; int3
const BYTE_STRLEN = hex("803f00488d7f0175f7cc");

/** Runs a strlen loop over a 1 MiB string; returns the length it found. */
function strlen(code: Uint8Array, sse: boolean): () => number {
  const m = new BareMachine({ memoryBytes: 8 << 20 });
  m.load(code);
  m.map(STRING_AT, STRING_BYTES + 4096, { write: true });
  m.poke(STRING_AT, new Uint8Array(STRING_BYTES).fill(0x41));
  return () => {
    m.cpu.rip = 0x400000;
    m.cpu.setRegNumber(7, STRING_AT);
    m.cpu.xmm.fill(0);
    m.cpu.run(4 * STRING_BYTES);
    const end = m.cpu.regNumber(7) - STRING_AT;
    return sse ? end - 16 + 31 - Math.clz32(m.cpu.gpr[0]! & -m.cpu.gpr[0]!) : end - 1;
  };
}

runSuites(import.meta.url, [
  {
    title: `float lanes: ${N} iterations of acc += sqrt(x*y/y) (float64) and acc += x*y (float32)`,
    ops: { f64: N * 4, f32: N * 2 },
    contenders: floatContenders,
  },
  {
    title: `guest loop of 6 SSE instructions + dec/jnz vs 6 integer instructions + dec/jnz (${ITERATIONS} iterations)`,
    ops: { instructions: ITERATIONS * 8 },
    contenders: [
      { name: "SSE loop in the Cpu", ours: true, make: () => ({ instructions: guestLoop(SSE_LOOP) }) },
      { name: "integer loop in the Cpu", make: () => ({ instructions: guestLoop(INTEGER_LOOP) }) },
    ],
  },
  {
    title: `strlen of a 1 MiB string in the Cpu: SSE2 as glibc does it vs a byte loop (bytes/s)`,
    ops: { bytes: STRING_BYTES },
    contenders: [
      { name: "SSE2 strlen (pcmpeqb/pmovmskb)", ours: true, make: () => ({ bytes: strlen(SSE_STRLEN, true) }) },
      { name: "byte-at-a-time strlen", make: () => ({ bytes: strlen(BYTE_STRLEN, false) }) },
    ],
  },
]);
