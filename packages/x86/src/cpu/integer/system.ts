// Instructions that reach outside the integer datapath: syscall, cpuid, rdtsc, rdrand, traps and
// faults, flag control, and the no-ops (hints, fences, prefetches) a user program meets.
import type { Cpu } from "../cpu.js";
import { cpuid } from "../cpuid.js";
import { Exit, Vector } from "../exit.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";

const RAX = 0;
const RCX = 1;
const RDX = 2;
const RBX = 3;
const R11 = 11;

function syscall(cpu: Cpu, i: Instr): void {
  // rcx takes the return address and r11 the flags, as the hardware does.
  const g = cpu.gpr;
  const hi = Math.floor(i.next / 4294967296);
  g[2 * RCX] = i.next - hi * 4294967296;
  g[2 * RCX + 1] = hi;
  g[2 * R11] = cpu.rflags;
  g[2 * R11 + 1] = 0;
  cpu.stop(Exit.Syscall);
}

function cpuidHandler(cpu: Cpu): void {
  const g = cpu.gpr;
  const [a, b, c, d] = cpuid(g[RAX]!, g[2 * RCX]!);
  g[RAX] = a;
  g[2 * RBX] = b;
  g[2 * RCX] = c;
  g[2 * RDX] = d;
  g[RAX + 1] = g[2 * RBX + 1] = g[2 * RCX + 1] = g[2 * RDX + 1] = 0;
}

/** A time-stamp counter at a nominal 1 GHz from the host's monotonic clock. */
function timestamp(cpu: Cpu): void {
  const ns = Math.floor((performance.timeOrigin + performance.now()) * 1e6);
  const hi = Math.floor(ns / 4294967296);
  const g = cpu.gpr;
  g[RAX] = ns - hi * 4294967296;
  g[2 * RDX] = hi;
  g[RAX + 1] = g[2 * RDX + 1] = 0;
}

function rdtscp(cpu: Cpu): void {
  timestamp(cpu);
  cpu.gpr[2 * RCX] = 0; // IA32_TSC_AUX: processor 0
  cpu.gpr[2 * RCX + 1] = 0;
}

const randomWords = new Uint32Array(2);

function random(cpu: Cpu, i: Instr): void {
  globalThis.crypto.getRandomValues(randomWords);
  cpu.put(i.k0, i.r0, i.s0, 0, i.s0 === 2 ? randomWords[0]! & 0xffff : randomWords[0]! | 0, randomWords[1]! | 0);
  cpu.setFlagBits(Flag.CF, 0x8d5);
}

const fault = (vector: number): Handler => (cpu) => cpu.raise(vector);
const nothing: Handler = () => {};

function lahf(cpu: Cpu): void {
  const f = cpu.rflags & 0xd5;
  cpu.gpr[RAX] = (cpu.gpr[RAX]! & ~0xff00) | ((f | 2) << 8);
}

function sahf(cpu: Cpu): void {
  cpu.setFlagBits((cpu.gpr[RAX]! >> 8) & 0xd5, 0xd5);
}

function flagHandler(set: number, clear: number, toggle = 0): Handler {
  return (cpu) => {
    const f = cpu.rflags;
    cpu.setFlagBits(((f | set) & ~clear) ^ toggle, set | clear | toggle);
  };
}

/** Handlers of system-level and miscellaneous instructions. */
export const SYSTEM_HANDLERS: Record<string, Handler> = {
  syscall,
  cpuid: cpuidHandler,
  rdtsc: timestamp,
  rdtscp,
  rdrand: random,
  rdseed: random,
  int3: (cpu) => cpu.raise(Vector.BP),
  int1: fault(Vector.DB),
  // int n from user mode: the IDT gates are kernel-only, so #GP (Linux: SIGSEGV).
  int: fault(Vector.GP),
  ud0: fault(Vector.UD),
  ud1: fault(Vector.UD),
  ud2: fault(Vector.UD),
  // Privileged in ring 3.
  hlt: fault(Vector.GP),
  cli: fault(Vector.GP),
  sti: fault(Vector.GP),
  in: fault(Vector.GP),
  out: fault(Vector.GP),
  ins: fault(Vector.GP),
  outs: fault(Vector.GP),
  nop: nothing,
  pause: nothing,
  endbr64: nothing,
  endbr32: nothing,
  lfence: nothing,
  mfence: nothing,
  sfence: nothing,
  prefetch: nothing,
  prefetchw: nothing,
  prefetchnta: nothing,
  prefetcht0: nothing,
  prefetcht1: nothing,
  prefetcht2: nothing,
  clflush: (cpu, i) => void cpu.read8(cpu.operandAddress(i)),
  clflushopt: (cpu, i) => void cpu.read8(cpu.operandAddress(i)),
  lahf,
  sahf,
  clc: flagHandler(0, Flag.CF),
  stc: flagHandler(Flag.CF, 0),
  cmc: flagHandler(0, 0, Flag.CF),
  cld: flagHandler(0, Flag.DF),
  std: flagHandler(Flag.DF, 0),
};
