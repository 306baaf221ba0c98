// Runs cases on the host CPU through the C harness (harness.c; same record layout).
import { spawnSync } from "node:child_process";
import type { CaseOutcome } from "./case-format.js";
import type { GeneratedCase } from "./generator.js";
import type { MachineState } from "./initial-state.js";
import { CODE_BASE, COMPARED_FLAGS, DATA_BASE, PAGE, STACK_BASE } from "./layout.js";
import { X87, X87_IMAGE_BYTES } from "./x87-image.js";

const INPUT_BYTES = 128 + 8 + 4 + 4 + 256 + 64 + PAGE + PAGE + X87_IMAGE_BYTES;
const OUTPUT_BYTES = 128 + 8 + 8 + 4 + 4 + 8 + 8 + 8 + 256 + PAGE + PAGE + X87_IMAGE_BYTES;
const SIGTRAP = 5;
const SIGALRM = 14;
const VECTOR_BP = 3;
const VECTOR_GP = 13;
const VECTOR_PF = 14;

/** Raw final state reported by the harness. */
interface NativeResult {
  gpr: BigUint64Array;
  rip: bigint;
  rflags: number;
  mxcsr: number;
  signal: number;
  trapno: number;
  errorCode: number;
  faultAddress: bigint;
  xmm: Uint8Array;
  data: Uint8Array;
  stack: Uint8Array;
  x87: Uint8Array;
}

function writeInput(view: DataView, bytes: Uint8Array, at: number, c: GeneratedCase, s: MachineState): void {
  for (let i = 0; i < 16; i++) view.setBigUint64(at + 8 * i, s.gpr[i]!, true);
  view.setBigUint64(at + 128, BigInt(s.rflags), true);
  view.setUint32(at + 136, s.mxcsr, true);
  view.setUint32(at + 140, c.code.length, true);
  bytes.set(s.xmm, at + 144);
  bytes.set(c.code, at + 400);
  bytes.set(s.data, at + 464);
  bytes.set(s.stack, at + 464 + PAGE);
  bytes.set(s.x87, at + 464 + 2 * PAGE);
}

function readOutput(view: DataView, bytes: Uint8Array, at: number): NativeResult {
  const gpr = new BigUint64Array(16);
  for (let i = 0; i < 16; i++) gpr[i] = view.getBigUint64(at + 8 * i, true);
  return {
    gpr,
    rip: view.getBigUint64(at + 128, true),
    rflags: Number(view.getBigUint64(at + 136, true) & 0xffff_ffffn),
    mxcsr: view.getUint32(at + 144, true),
    signal: view.getInt32(at + 148, true),
    trapno: Number(view.getBigUint64(at + 152, true)),
    errorCode: Number(view.getBigUint64(at + 160, true) & 0xffff_ffffn),
    faultAddress: view.getBigUint64(at + 168, true),
    xmm: bytes.slice(at + 176, at + 432),
    data: bytes.slice(at + 432, at + 432 + PAGE),
    stack: bytes.slice(at + 432 + PAGE, at + 432 + 2 * PAGE),
    x87: bytes.slice(at + 432 + 2 * PAGE, at + 432 + 2 * PAGE + X87_IMAGE_BYTES),
  };
}

/** Runs a batch of cases natively; returns each outcome, or a string saying why it is unusable. */
export function runNative(harness: string, cases: ReadonlyArray<{ c: GeneratedCase; state: MachineState }>): Array<CaseOutcome | string> {
  const input = new Uint8Array(INPUT_BYTES * cases.length);
  const inView = new DataView(input.buffer);
  cases.forEach(({ c, state }, i) => writeInput(inView, input, i * INPUT_BYTES, c, state));
  const run = spawnSync(harness, [], { input, maxBuffer: OUTPUT_BYTES * cases.length + 1024 });
  if (run.error) throw new Error(`harness failed (${run.error.message}; exit ${run.status ?? run.signal}): ${run.stderr?.toString() ?? ""}`);
  if (run.status !== 0) throw new Error(`harness exited with ${run.status ?? run.signal}: ${run.stderr.toString()}`);
  const output = new Uint8Array(run.stdout.buffer, run.stdout.byteOffset, run.stdout.byteLength);
  if (output.length !== OUTPUT_BYTES * cases.length) throw new Error(`harness wrote ${output.length} bytes for ${cases.length} cases`);
  const outView = new DataView(output.buffer, output.byteOffset, output.byteLength);
  return cases.map(({ c, state }, i) => outcomeOf(c, state, readOutput(outView, output, i * OUTPUT_BYTES)));
}

/** Turns the native final state into a fixture outcome (a difference from the initial state). */
function outcomeOf(c: GeneratedCase, initial: MachineState, n: NativeResult): CaseOutcome | string {
  if (n.signal === SIGALRM) return "timed out";
  const end = BigInt(CODE_BASE + c.code.length + 1);
  const reachedEnd = n.signal === SIGTRAP && n.trapno === VECTOR_BP && n.rip === end;
  const ripOffset = Number(n.rip - BigInt(CODE_BASE));
  if (!reachedEnd && !(ripOffset >= 0 && ripOffset <= c.code.length)) return `stopped outside the code at ${n.rip.toString(16)}`;
  const outcome: CaseOutcome = { gprXor: new Map(), rflags: n.rflags & COMPARED_FLAGS, mxcsr: n.mxcsr, xmm: new Map(), memory: [] };
  if (!reachedEnd) {
    outcome.fault = {
      vector: n.trapno,
      ripOffset,
      errorCode: n.trapno === VECTOR_PF || n.trapno === VECTOR_GP ? n.errorCode : 0,
      address: n.trapno === VECTOR_PF ? n.faultAddress : 0n,
    };
  }
  for (let i = 0; i < 16; i++) if (n.gpr[i] !== initial.gpr[i]) outcome.gprXor.set(i, n.gpr[i]! ^ initial.gpr[i]!);
  for (let i = 0; i < 16; i++) {
    const now = n.xmm.subarray(16 * i, 16 * i + 16);
    if (now.some((b, k) => b !== initial.xmm[16 * i + k])) outcome.xmm.set(i, now.slice());
  }
  outcome.memory.push(...changedRuns(initial.data, n.data, DATA_BASE), ...changedRuns(initial.stack, n.stack, STACK_BASE));
  if (c.undefinedFsw) {
    // FCW, FSW, abridged FTW and ST0–ST7 (FOP/FIP/FDP differ between vendors and are not kept).
    const x87 = new Uint8Array(5 + 80);
    x87.set(n.x87.subarray(0, 5));
    for (let i = 0; i < 8; i++) x87.set(n.x87.subarray(X87.st + 16 * i, X87.st + 16 * i + 10), 5 + 10 * i);
    outcome.x87 = x87;
  }
  return outcome;
}

/** Runs of bytes that differ, merged across gaps of up to 4 unchanged bytes. */
function changedRuns(before: Uint8Array, after: Uint8Array, base: number): Array<{ address: number; bytes: Uint8Array }> {
  const runs: Array<{ address: number; bytes: Uint8Array }> = [];
  let i = 0;
  while (i < PAGE) {
    if (before[i] === after[i]) {
      i++;
      continue;
    }
    let end = i + 1;
    for (let gap = 0; end < PAGE && gap <= 4; end++) gap = before[end] === after[end] ? gap + 1 : 0;
    while (before[end - 1] === after[end - 1]) end--;
    runs.push({ address: base + i, bytes: after.slice(i, end) });
    i = end;
  }
  return runs;
}
