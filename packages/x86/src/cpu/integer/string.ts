// String instructions: movs, stos, lods, cmps, scas, with rep/repe/repne. A repeated instruction
// commits each element, so a fault part-way leaves rcx/rsi/rdi describing the elements done, as
// the hardware does; rep movs/stos copy whole page-sized chunks at a time.
import type { Cpu } from "../cpu.js";
import { Access } from "../mmu.js";
import type { Handler, Instr } from "../instr.js";
import { Prefix } from "../../decoder/decoded-instruction.js";
import { Vector } from "../exit.js";
import { addressFromHalves, NON_CANONICAL, segmentBase, USER_END } from "./address.js";

const RAX = 0;
const RCX = 1;
const RSI = 6;
const RDI = 7;
const PAGE = 4096;

const TWO32 = 4294967296;

/** An index register as an address (32-bit with the 0x67 prefix; see addressFromHalves). */
function pointer(cpu: Cpu, i: Instr, reg: number): number {
  const g = cpu.gpr;
  return i.addrSize === 4 ? g[2 * reg]! >>> 0 : addressFromHalves(g[2 * reg]!, g[2 * reg + 1]!);
}

/** rcx (ecx with 0x67) as an unsigned number: exact below 2^53, and only compared beyond that. */
function counter(cpu: Cpu, i: Instr): number {
  const g = cpu.gpr;
  return i.addrSize === 4 ? g[2 * RCX]! >>> 0 : (g[2 * RCX + 1]! >>> 0) * TWO32 + (g[2 * RCX]! >>> 0);
}

/** Takes `done` elements off the count register, exactly. */
function consume(cpu: Cpu, i: Instr, done: number): void {
  advance(cpu, i, RCX, -done);
}

/**
 * reg += by (|by| < 2^31) on the two int32 halves, exact even above 2^53 where a number rounds.
 * A 32-bit address size writes the low half and clears the high one, as a dword write does.
 */
function advance(cpu: Cpu, i: Instr, reg: number, by: number): void {
  const g = cpu.gpr;
  const sum = (g[2 * reg]! >>> 0) + by;
  g[2 * reg] = sum | 0;
  g[2 * reg + 1] = i.addrSize === 4 ? 0 : (g[2 * reg + 1]! + Math.floor(sum / TWO32)) | 0;
}

const enum Str {
  Movs,
  Stos,
  Lods,
  Cmps,
  Scas,
}

function stringOp(kind: Str): Handler {
  return (cpu, i) => {
    const size = kind === Str.Movs || kind === Str.Lods || kind === Str.Cmps ? i.s1 || i.s0 : i.s0;
    const repeated = (i.prefixes & (Prefix.Rep | Prefix.Repne)) !== 0;
    if (!repeated) {
      element(cpu, i, kind, size);
      return;
    }
    const untilEqual = (i.prefixes & Prefix.Repne) !== 0;
    const compares = kind === Str.Cmps || kind === Str.Scas;
    for (let n = counter(cpu, i); n !== 0; n = counter(cpu, i)) {
      if ((kind === Str.Movs || kind === Str.Stos) && cpu.direction === 1 && n > 1) {
        const done = bulk(cpu, i, kind, size, n);
        if (done > 0) {
          consume(cpu, i, done);
          continue;
        }
      }
      element(cpu, i, kind, size);
      consume(cpu, i, 1);
      if (compares && cpu.zf === untilEqual) break;
    }
  };
}

/** One element of a string instruction. */
function element(cpu: Cpu, i: Instr, kind: Str, size: number): void {
  const step = size * cpu.direction;
  switch (kind) {
    case Str.Movs: {
      const v = cpu.load(pointer(cpu, i, RSI) + segmentBase(cpu, i), size);
      cpu.store(pointer(cpu, i, RDI), size, v, cpu.hi);
      advance(cpu, i, RSI, step);
      advance(cpu, i, RDI, step);
      return;
    }
    case Str.Stos: {
      const g = cpu.gpr;
      cpu.store(pointer(cpu, i, RDI), size, g[RAX]!, g[RAX + 1]!);
      advance(cpu, i, RDI, step);
      return;
    }
    case Str.Lods: {
      const v = cpu.load(pointer(cpu, i, RSI) + segmentBase(cpu, i), size);
      if (size === 8) {
        cpu.gpr[RAX] = v;
        cpu.gpr[RAX + 1] = cpu.hi;
      } else cpu.writeGpr(size === 4 ? 128 : size === 2 ? 96 : 32, v);
      advance(cpu, i, RSI, step);
      return;
    }
    case Str.Cmps: {
      // When both operands fault, the host (AMD) reports: without rep, #GP for a non-canonical
      // one, else es:[rdi]'s fault; with rep, user-half faults, then kernel-half ones, then #GP,
      // rdi before rsi within a class.
      const di = pointer(cpu, i, RDI);
      const source = pointer(cpu, i, RSI);
      const si = source + segmentBase(cpu, i);
      const repeated = (i.prefixes & (Prefix.Rep | Prefix.Repne)) !== 0;
      if (!repeated && (di === NON_CANONICAL || source === NON_CANONICAL)) cpu.raise(Vector.GP);
      if (repeated && source !== NON_CANONICAL && (di === NON_CANONICAL || (di >= USER_END && si < USER_END))) cpu.load(si, size);
      const b = cpu.load(di, size);
      const bHi = cpu.hi;
      const a = cpu.load(si, size);
      compare(cpu, size, a, cpu.hi, b, bHi);
      advance(cpu, i, RSI, step);
      advance(cpu, i, RDI, step);
      return;
    }
    default: {
      const g = cpu.gpr;
      const b = cpu.load(pointer(cpu, i, RDI), size);
      const a = size === 4 ? g[RAX]! : size === 2 ? g[RAX]! & 0xffff : size === 1 ? g[RAX]! & 0xff : g[RAX]!;
      compare(cpu, size, a, g[RAX + 1]!, b, cpu.hi);
      advance(cpu, i, RDI, step);
    }
  }
}

function compare(cpu: Cpu, size: number, a: number, aHi: number, b: number, bHi: number): void {
  if (size === 8) {
    const diff = (a >>> 0) - (b >>> 0);
    cpu.set64(3, a, aHi, b, bHi, diff | 0, (aHi - bHi - (diff < 0 ? 1 : 0)) | 0, 0);
    return;
  }
  const r = size === 4 ? (a - b) | 0 : size === 2 ? (a - b) & 0xffff : (a - b) & 0xff;
  cpu.setSub(size, a, b, r, 0);
}

/**
 * Forward rep movs/stos over as many whole elements as fit in the current source and
 * destination pages; returns the elements done (0: take the element path).
 */
function bulk(cpu: Cpu, i: Instr, kind: Str, size: number, n: number): number {
  const dst = pointer(cpu, i, RDI);
  const src = kind === Str.Movs ? pointer(cpu, i, RSI) + segmentBase(cpu, i) : 0;
  let room = PAGE - (dst % PAGE);
  if (kind === Str.Movs) room = Math.min(room, PAGE - (src % PAGE));
  const count = Math.min(n, Math.floor(room / size));
  if (count < 2 || i.addrSize === 4) return 0;
  const bytes = count * size;
  // The source is read before the destination is written: its fault comes first.
  const from = kind === Str.Movs ? cpu.translate(src, Access.Read) : 0;
  const to = cpu.translate(dst, Access.Write);
  if (kind === Str.Movs) {
    // Overlap with the destination ahead of the source must copy element by element.
    if (to > from && to < from + bytes) return 0;
    cpu.writeBytes(dst, cpu.mem, from, bytes);
    advance(cpu, i, RSI, bytes);
  } else {
    const g = cpu.gpr;
    const mem = cpu.mem;
    // Fill through writeBytes's checks once, then pattern-fill the frame directly.
    cpu.checkWritable(dst, bytes);
    for (let k = 0; k < size; k++) {
      const byte = (k < 4 ? g[RAX]! >>> (8 * k) : g[RAX + 1]! >>> (8 * (k - 4))) & 0xff;
      mem[to + k] = byte;
    }
    for (let done = size; done < bytes; done *= 2) mem.copyWithin(to + done, to, to + Math.min(done, bytes - done));
    cpu.writeBytes(dst, mem, to, size); // invalidates decoded code on the page, if any
  }
  advance(cpu, i, RDI, bytes);
  return count;
}

/** Handlers of the string instructions. */
export const STRING_HANDLERS: Record<string, Handler> = {
  movs: stringOp(Str.Movs),
  stos: stringOp(Str.Stos),
  lods: stringOp(Str.Lods),
  cmps: stringOp(Str.Cmps),
  scas: stringOp(Str.Scas),
};

