// The vCPU: long-mode ring-3 x86-64 over the MMU and the lazy flags, running decoded
// instructions from a per-page decode cache.
import { decode } from "../decoder/decode.js";
import { DecodeError } from "../decoder/decode-error.js";
import { DecodedInstruction, OperandKind } from "../decoder/decoded-instruction.js";
import { RegClass } from "../decoder/registers.js";
import { Exit, FAULT, Vector } from "./exit.js";
import { LazyFlags } from "./flags.js";
import { compileBlock, type Block } from "./block-compiler.js";
import { handlerFor } from "./handlers.js";
import { Instr } from "./instr.js";
import { X87State } from "./x87/x87-state.js";
import { addressFromBig, checkStackSegment, exactAddress, segmentBase } from "./integer/address.js";
import { Access, type MemoryOptions } from "./mmu.js";

const PAGE = 4096;
const TWO32 = 4294967296;
const RIP_REGISTER = RegClass.Rip * 32;
/** Arrivals at an instruction before the block starting there is compiled. */
const HOT = 16;

/** Options for {@link Cpu}. */
export type CpuOptions = MemoryOptions;

/** Called before each instruction when tracing. */
export type TraceHook = (cpu: Cpu, instr: Instr) => void;

/**
 * One x86-64 vCPU in user mode. Create it over guest RAM, point `cr3` at page tables, set the
 * registers and call {@link run}; it returns an {@link Exit} when the guest needs the embedder.
 */
export class Cpu extends LazyFlags {
  /** General registers: register n (0 = rax … 15 = r15) is [2n] (low) and [2n+1] (high). */
  readonly gpr = new Int32Array(32);
  /** Address of the next instruction. */
  rip = 0;
  fsBase = 0;
  gsBase = 0;
  /** xmm0–xmm15, 16 bytes each. */
  readonly xmm = new Uint8Array(256);
  mxcsr = 0x1f80;
  /** The x87 FPU (and the MMX registers it holds); a kernel swaps it per thread. */
  x87 = new X87State();
  /** Instructions completed since creation. */
  instructionsRetired = 0;
  /** Instructions found in the decode cache. */
  decodeCacheHits = 0;
  /** Called before every instruction when set (slower). */
  trace: TraceHook | undefined = undefined;
  /** The mnemonic of the last instruction that raised #UD because it is not implemented. */
  lastUnimplemented = "";

  private exitReason = -1;
  /** Set by compiled blocks before each instruction that may fault: its index in the block. */
  blockPosition = 0;
  /** Compile hot blocks to JavaScript (default true; false runs the interpreter only). */
  compileBlocks = true;
  private readonly decoded = new DecodedInstruction();
  private readonly fetchBuffer = new Uint8Array(16);
  /** Decoded instructions per physical code page, indexed by page offset. */
  private readonly codeCache = new Map<number, (Instr | undefined)[]>();
  private currentVpn = -1;
  private currentFrame = 0;
  private currentCode: (Instr | undefined)[] = [];

  constructor(options: CpuOptions = {}) {
    super(options);
  }

  /** The unsigned 64-bit value of general register n (0 = rax … 15 = r15). */
  getReg(n: number): bigint {
    return (BigInt(this.gpr[2 * n + 1]! >>> 0) << 32n) | BigInt(this.gpr[2 * n]! >>> 0);
  }

  /** Sets general register n to a 64-bit value (taken modulo 2^64). */
  setReg(n: number, value: bigint): void {
    const v = BigInt.asUintN(64, value);
    this.gpr[2 * n] = Number(v & 0xffffffffn);
    this.gpr[2 * n + 1] = Number(v >> 32n);
  }

  /** Register n as a number (exact below 2^53; for addresses). */
  regNumber(n: number): number {
    return this.gpr[2 * n + 1]! * TWO32 + (this.gpr[2 * n]! >>> 0);
  }

  /** Sets register n from a non-negative or negative integer number below 2^53 in magnitude. */
  setRegNumber(n: number, value: number): void {
    const hi = Math.floor(value / TWO32);
    this.gpr[2 * n] = value - hi * TWO32;
    this.gpr[2 * n + 1] = hi;
  }

  override flushTlb(): void {
    super.flushTlb();
    this.currentVpn = -1;
  }

  override invalidatePage(va: number): void {
    super.invalidatePage(va);
    this.currentVpn = -1;
  }

  /**
   * Runs up to `maxInstructions` instructions. Returns an {@link Exit}: Budget, Syscall (rip after
   * the SYSCALL), Fault (`fault` says which; rip at the faulting instruction, state as before
   * it; for int3 rip is after it) or Halt.
   */
  run(maxInstructions: number): number {
    this.exitReason = -1;
    let done = 0;
    let instr: Instr | undefined;
    let block: Block | undefined;
    try {
      while (done < maxInstructions) {
        instr = undefined;
        block = undefined;
        instr = this.fetch();
        if (this.trace !== undefined) this.trace(this, instr);
        else if (instr.block !== undefined) {
          block = instr.block;
          block.run(this);
          done += block.instrs.length;
          if (this.exitReason >= 0) break;
          continue;
        } else if (++instr.heat === HOT && this.compileBlocks) {
          instr.block = compileBlock(instr, (rip) => this.peek(rip));
          continue;
        }
        this.rip = instr.next;
        instr.exec(this, instr);
        done++;
        if (this.exitReason >= 0) break;
      }
    } catch (e) {
      if (e !== FAULT) throw e;
      if (block !== undefined) {
        // The block stored its position before the instruction that faulted.
        instr = block.instrs[this.blockPosition]!;
        done += this.blockPosition;
      }
      // A fault in fetch leaves rip at the instruction; in execution rip had moved on. Traps
      // (int3) report the address after the instruction, as the hardware does.
      if (instr !== undefined) this.rip = this.fault.vector === Vector.BP ? instr.next : instr.ip;
      this.instructionsRetired += done;
      return Exit.Fault;
    }
    this.instructionsRetired += done;
    return this.exitReason >= 0 ? this.exitReason : Exit.Budget;
  }

  /** Ends the current run after this instruction with an exit reason (SYSCALL, HLT). */
  stop(reason: number): void {
    this.exitReason = reason;
  }

  private fetch(): Instr {
    const rip = this.rip;
    const vpn = Math.floor(rip / PAGE);
    if (vpn !== this.currentVpn) this.enterCodePage(rip, vpn);
    const offset = rip - vpn * PAGE;
    const cached = this.currentCode[offset];
    if (cached !== undefined) {
      this.decodeCacheHits++;
      return cached;
    }
    return this.decodeAt(rip, offset);
  }

  private enterCodePage(rip: number, vpn: number): void {
    // Clear first: a fault in translate must not leave a stale page selected.
    this.currentVpn = -1;
    const frame = Math.floor(this.translate(rip, Access.Execute) / PAGE);
    let code = this.codeCache.get(frame);
    if (code === undefined) {
      code = [];
      this.codeCache.set(frame, code);
      this.markCode(frame);
    }
    this.currentFrame = frame;
    this.currentCode = code;
    this.currentVpn = vpn;
  }

  /**
   * The instruction at `rip` when it is on the current code page and decodes, without faulting;
   * for the block compiler.
   */
  private peek(rip: number): Instr | undefined {
    const vpn = Math.floor(rip / PAGE);
    if (vpn !== this.currentVpn) return undefined;
    const offset = rip - vpn * PAGE;
    const cached = this.currentCode[offset];
    if (cached !== undefined) return cached;
    const d = this.decoded;
    decode(d, this.mem, this.currentFrame * PAGE + offset, rip, this.currentFrame * PAGE + PAGE);
    if (d.error !== DecodeError.None) return undefined;
    const instr = new Instr(d, handlerFor(d.mnemonic));
    this.currentCode[offset] = instr;
    return instr;
  }

  private decodeAt(rip: number, offset: number): Instr {
    const d = this.decoded;
    const start = this.currentFrame * PAGE + offset;
    decode(d, this.mem, start, rip, this.currentFrame * PAGE + PAGE);
    let crossesPage = false;
    if (d.error === DecodeError.Truncated) {
      // The instruction continues on the next page: fetch it (which may fault there).
      const here = PAGE - offset;
      const buf = this.fetchBuffer;
      buf.set(this.mem.subarray(start, start + here));
      const next = this.translate(rip + here, Access.Execute);
      buf.set(this.mem.subarray(next, next + (15 - here)), here);
      decode(d, buf, 0, rip, 15);
      crossesPage = true;
    }
    if (d.error !== DecodeError.None) this.raise(Vector.UD);
    const instr = new Instr(d, handlerFor(d.mnemonic));
    // An instruction spanning two pages is not cached: a write to the second page could not
    // find it to invalidate it.
    if (!crossesPage) this.currentCode[offset] = instr;
    return instr;
  }

  /**
   * Forgets decoded code on a physical page. The kernel calls it before it reuses a frame or
   * writes one behind the CPU's back (direct `mem` stores bypass the MMU's write tracking).
   */
  discardCode(frameNumber: number): void {
    if (this.codePage[frameNumber] !== 0) this.codeWritten(frameNumber);
  }

  protected override codeWritten(frameNumber: number): void {
    super.codeWritten(frameNumber);
    this.codeCache.delete(frameNumber);
    if (frameNumber === this.currentFrame) this.currentVpn = -1;
  }

  // --- Operand access for handlers.

  /** The virtual address of the memory operand of `i`. */
  ea(i: Instr): number {
    const base = i.base;
    if (i.addrSize === 4) {
      // 0x67: a 32-bit address (eip-relative when the base is eip), then the segment base.
      let a = i.disp;
      if (base >> 5 === RegClass.Rip) a += i.next;
      else if (base !== 0) a += this.gpr[2 * (base & 31)]! >>> 0;
      if (i.index !== 0) a += (this.gpr[2 * (i.index & 31)]! >>> 0) * i.scale;
      return (a >>> 0) + segmentBase(this, i);
    }
    // Doubles are exact while every register is below 2^48 in magnitude; else use bigints.
    let a = i.disp + segmentBase(this, i);
    if (base === RIP_REGISTER) a += i.next;
    else if (base !== 0) {
      const hi = this.gpr[2 * (base & 31) + 1]!;
      if (hi >= 65536 || hi < -65536) return this.eaExact(i);
      a += hi * TWO32 + (this.gpr[2 * (base & 31)]! >>> 0);
    }
    if (i.index !== 0) {
      const hi = this.gpr[2 * (i.index & 31) + 1]!;
      if (hi >= 65536 || hi < -65536) return this.eaExact(i);
      a += (hi * TWO32 + (this.gpr[2 * (i.index & 31)]! >>> 0)) * i.scale;
    }
    return a >= 0 && a < 0x800000000000 ? a : this.eaExact(i);
  }

  /**
   * The address computed exactly: kernel-half addresses rounded within the kernel half, every
   * non-canonical one as 2^63 (so rounding never makes it canonical); a non-canonical address
   * through rsp or rbp is a stack-segment fault (#SS), as on hardware.
   */
  private eaExact(i: Instr): number {
    const va = addressFromBig(exactAddress(this, i));
    checkStackSegment(this, i, va);
    return va;
  }

  /** Reads a 1/2/4-byte register operand: bytes and words unsigned, dwords as int32. */
  readGpr(id: number): number {
    const n = id & 31;
    switch (id >> 5) {
      case RegClass.Gpr8: return this.gpr[2 * n]! & 0xff;
      // ah, ch, dh, bh are numbered 4–7 (their ModRM encodings): bits 8–15 of rax…rbx.
      case RegClass.Gpr8High: return (this.gpr[2 * (n - 4)]! >> 8) & 0xff;
      case RegClass.Gpr16: return this.gpr[2 * n]! & 0xffff;
      case RegClass.Gpr32: return this.gpr[2 * n]!;
      default:
        this.hi = this.gpr[2 * n + 1]!;
        return this.gpr[2 * n]!;
    }
  }

  /** Writes a 1/2/4-byte register operand with x86 rules (a dword write clears the high half). */
  writeGpr(id: number, v: number): void {
    const n = id & 31;
    const g = this.gpr;
    switch (id >> 5) {
      case RegClass.Gpr8: g[2 * n] = (g[2 * n]! & ~0xff) | (v & 0xff); break;
      case RegClass.Gpr8High: g[2 * (n - 4)] = (g[2 * (n - 4)]! & ~0xff00) | ((v & 0xff) << 8); break;
      case RegClass.Gpr16: g[2 * n] = (g[2 * n]! & ~0xffff) | (v & 0xffff); break;
      default:
        g[2 * n] = v;
        g[2 * n + 1] = 0;
    }
  }

  /**
   * Reads an operand of `size` bytes: registers, memory at `va`, immediates. Sizes 1 and 2 come
   * back unsigned, 4 as int32, 8 as the low half with the high half in `hi`.
   */
  value(i: Instr, kind: number, id: number, size: number, va: number): number {
    switch (kind) {
      case OperandKind.Register:
        if (size === 8) {
          const n = id & 31;
          this.hi = this.gpr[2 * n + 1]!;
          return this.gpr[2 * n]!;
        }
        return this.readGpr(id);
      case OperandKind.Memory:
      case OperandKind.MemoryOffset:
        return this.load(va, size);
      case OperandKind.Immediate:
        if (size === 8) {
          this.hi = i.immHi | 0;
          return i.imm | 0;
        }
        return size === 4 ? i.imm | 0 : size === 2 ? i.imm & 0xffff : i.imm & 0xff;
      case OperandKind.ConstantOne:
        return 1;
      default:
        return 0;
    }
  }

  /** Loads `size` bytes from `va` (see {@link value} for the representation). */
  load(va: number, size: number): number {
    switch (size) {
      case 1: return this.read8(va);
      case 2: return this.read16(va);
      case 4: return this.read32(va);
      default: return this.read64(va);
    }
  }

  /** Stores `size` bytes to `va`. */
  store(va: number, size: number, lo: number, hi: number): void {
    switch (size) {
      case 1: this.write8(va, lo); break;
      case 2: this.write16(va, lo); break;
      case 4: this.write32(va, lo); break;
      default: this.write64(va, lo, hi);
    }
  }

  /** Writes a register or memory destination of `size` bytes. */
  put(kind: number, id: number, size: number, va: number, lo: number, hi: number): void {
    if (kind === OperandKind.Register) {
      if (size === 8) {
        const n = id & 31;
        this.gpr[2 * n] = lo;
        this.gpr[2 * n + 1] = hi;
      } else this.writeGpr(id, lo);
    } else this.store(va, size, lo, hi);
  }

  /** The address of the instruction's memory operand, or 0 when it has none. */
  operandAddress(i: Instr): number {
    if (i.memory === OperandKind.Memory) return this.ea(i);
    if (i.memory === OperandKind.MemoryOffset) {
      const a = i.immHi * TWO32 + i.imm;
      return a + segmentBase(this, i);
    }
    return 0;
  }

  // --- Stack.

  /** Pushes a 64-bit value. */
  push64(lo: number, hi: number): void {
    const rsp = this.regNumber(4) - 8;
    this.write64(rsp, lo, hi);
    this.setRegNumber(4, rsp);
  }

  /** Pops a 64-bit value: returns the low half, high half in `hi`. */
  pop64(): number {
    const rsp = this.regNumber(4);
    const lo = this.read64(rsp);
    this.setRegNumber(4, rsp + 8);
    return lo;
  }
}
