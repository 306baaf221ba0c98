// Reads fixtures/sse-oracle.txt.gz (written by fixtures/sse-oracle.c on a real x86-64 CPU) and
// replays a case on a Cpu. Used by the oracle tests; not part of the public API.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";
import { executeOne } from "./execute-one.js";
import { readMmx, writeMmx } from "./mmx-registers.js";

/** The machine state the oracle records. */
export interface OracleState {
  x0: string;
  x1: string;
  x2: string;
  rax: bigint;
  rcx: bigint;
  rdx: bigint;
  mm0: bigint;
  mm1: bigint;
  /** The 16 bytes of the memory operand (at rdi + 112). */
  mem: string;
  fl: number;
  mxcsr: number;
  /** The instruction raised #XM (SIGFPE natively); registers then are as at the fault. */
  xm: boolean;
  /** The instruction raised #GP (SIGSEGV natively: a misaligned operand). */
  gp: boolean;
}

/** One recorded execution. */
export interface OracleCase {
  name: string;
  kind: string;
  code: Uint8Array;
  input: OracleState;
  /** Expected state: the input with the recorded changes applied. */
  output: OracleState;
  line: number;
}

const ZERO = "0".repeat(32);

function apply(base: OracleState, fields: string[]): OracleState {
  const s = { ...base };
  for (const f of fields) {
    const [k, v] = f.split("=") as [keyof OracleState, string];
    if (k === "xm" || k === "gp") s[k] = v === "1";
    else if (k === "x0" || k === "x1" || k === "x2" || k === "mem") s[k] = v;
    else if (k === "fl" || k === "mxcsr") s[k] = parseInt(v, 16);
    else s[k] = BigInt(`0x${v}`);
  }
  return s;
}

/** Parses the fixture file. */
export function readOracle(path: string): OracleCase[] {
  const cases: OracleCase[] = [];
  let kind = "";
  let name = "";
  let code = new Uint8Array(0);
  const empty: OracleState = { x0: ZERO, x1: ZERO, x2: ZERO, rax: 0n, rcx: 0n, rdx: 0n, mm0: 0n, mm1: 0n, mem: ZERO, fl: 0, mxcsr: 0x1f80, xm: false, gp: false };
  gunzipSync(readFileSync(path))
    .toString("utf8")
    .split("\n")
    .forEach((text, index) => {
      if (text === "" || text.startsWith("#")) return;
      const words = text.split(" ");
      if (words[0] === "op") {
        name = words[1]!;
        kind = words[2]!;
        code = Uint8Array.from(words[3]!.match(/../g)!.map((b) => parseInt(b, 16)));
        return;
      }
      const out = words.indexOf("out");
      const input = apply(empty, words.slice(2, out));
      cases.push({ name, kind, code, input, output: apply(input, words.slice(out + 1)), line: index + 1 });
    });
  return cases;
}

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
}

function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

const CODE = 0x400000;
/** rdi during a case; the memory operand is at rdi + 112 (or misaligned at rdi + 113), as in the native harness. */
const DATA = 0x10000000;
const MEMORY_OPERAND = DATA + 112;

/** A machine to replay cases on, with the code page mapped. */
export function oracleMachine(): BareMachine {
  const m = new BareMachine({ memoryBytes: 4 << 20 });
  m.map(CODE, 0x1000, { write: true, execute: true });
  m.map(DATA, 0x1000, { write: true });
  return m;
}

/** Runs one case on the machine and returns the resulting state. */
export function replay(m: BareMachine, c: OracleCase): OracleState {
  const cpu = m.cpu;
  const s = c.input;
  cpu.xmm.set(hexBytes(s.x0), 0);
  cpu.xmm.set(hexBytes(s.x1), 16);
  cpu.xmm.set(hexBytes(s.x2), 32);
  cpu.setReg(0, s.rax);
  cpu.setReg(1, s.rcx);
  cpu.setReg(2, s.rdx);
  cpu.setRegNumber(7, c.kind === "k" ? MEMORY_OPERAND : DATA); // kind k stores to [rdi]
  m.poke(MEMORY_OPERAND, hexBytes(s.mem));
  m.poke(MEMORY_OPERAND + 16, new Uint8Array(16)); // the native harness's zeroed tail
  writeMmx(cpu, 0, Number(s.mm0 & 0xffffffffn) | 0, Number(s.mm0 >> 32n) | 0);
  writeMmx(cpu, 1, Number(s.mm1 & 0xffffffffn) | 0, Number(s.mm1 >> 32n) | 0);
  cpu.rflags = s.fl | 0x202;
  cpu.mxcsr = s.mxcsr;
  const exit = executeOne(m, c.code, CODE);
  const xm = exit === Exit.Fault && cpu.fault.vector === Vector.XM;
  const gp = exit === Exit.Fault && cpu.fault.vector === Vector.GP;
  if (exit !== Exit.Budget && !xm && !gp) throw new Error(`${c.name}: exit ${exit}, fault ${JSON.stringify(cpu.fault)}`);
  const mm = new Int32Array(2);
  const mmx = (k: number): bigint => {
    readMmx(cpu, k, mm);
    return (BigInt(mm[1]! >>> 0) << 32n) | BigInt(mm[0]! >>> 0);
  };
  return {
    x0: toHex(cpu.xmm.subarray(0, 16)),
    x1: toHex(cpu.xmm.subarray(16, 32)),
    x2: toHex(cpu.xmm.subarray(32, 48)),
    rax: cpu.getReg(0),
    rcx: cpu.getReg(1),
    rdx: cpu.getReg(2),
    mm0: mmx(0),
    mm1: mmx(1),
    fl: cpu.rflags & 0x8d5,
    mem: toHex(m.peek(MEMORY_OPERAND, 16)),
    mxcsr: cpu.mxcsr,
    xm,
    gp,
  };
}
