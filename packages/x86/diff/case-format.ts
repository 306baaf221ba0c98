// The fixture format: a gzip stream of binary case records. A record stores the case's seed and
// the generator's patches (the rest of the initial state is expandState(seed)), its code, the
// undefined-result masks, and the native outcome as a difference from the initial state.
import { gunzipSync, gzipSync } from "node:zlib";
import type { GeneratedCase } from "./generator.js";
import { COMPARED_FLAGS, FLAG } from "./layout.js";

/** Bumped when the record layout changes. */
export const FORMAT_VERSION = 2;
/** Bumped when expandState changes (every fixture must then be captured again). */
export const STATE_VERSION = 1;
const MAGIC = 0x4644544e; // "NTDF"

/** How a case ended natively. */
export interface CaseOutcome {
  /** Undefined when the end marker was reached. */
  fault?: {
    vector: number;
    /** RIP at the fault (after the instruction for int3), as an offset from CODE_BASE. */
    ripOffset: number;
    /** #PF and #GP error code (0 for other vectors). */
    errorCode: number;
    /** #PF linear address (0 for other vectors). */
    address: bigint;
  };
  /** Per register whose value changed: final XOR initial. */
  gprXor: Map<number, bigint>;
  /** Final RFLAGS & COMPARED_FLAGS. */
  rflags: number;
  mxcsr: number;
  /** Per XMM register that changed: its final 16 bytes. */
  xmm: Map<number, Uint8Array>;
  /** Runs of memory bytes whose final value differs from the initial one. */
  memory: Array<{ address: number; bytes: Uint8Array }>;
  /** x87 cases: final FCW (2 bytes), FSW (2), abridged FTW (1) and ST0–ST7 (10 bytes each). */
  x87?: Uint8Array;
}

/** One fixture record: the generated case and how it ended natively. */
export interface CaseRecord extends GeneratedCase {
  outcome: CaseOutcome;
}

/** What a fixture file holds besides its records. */
export interface FixtureHeader {
  /** How it was made: classes, seeds, host; free-form. */
  meta: Record<string, unknown>;
}

// Six status flags packed into a byte (c p a z s o) for the undefined masks.
const PACKED = [FLAG.CF, FLAG.PF, FLAG.AF, FLAG.ZF, FLAG.SF, FLAG.OF];
const packFlags = (f: number): number => PACKED.reduce((m, bit, i) => m | (f & bit ? 1 << i : 0), 0);
const unpackFlags = (b: number): number => PACKED.reduce((m, bit, i) => m | (b & (1 << i) ? bit : 0), 0);

// The four x87 condition codes packed into a byte (C0 C1 C2 C3).
const FSW_BITS = [0x100, 0x200, 0x400, 0x4000];
const packFsw = (f: number): number => FSW_BITS.reduce((m, bit, i) => m | (f & bit ? 1 << i : 0), 0);
const unpackFsw = (b: number): number => FSW_BITS.reduce((m, bit, i) => m | (b & (1 << i) ? bit : 0), 0);
/** Bytes of {@link CaseOutcome.x87}. */
export const X87_OUTCOME_BYTES = 85;

class Writer {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }
  u64(v: bigint): void {
    this.room(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, v), true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Reads a fixture; errors name the record and byte offset so a corrupt file is easy to find. */
class Reader {
  private readonly view: DataView;
  at = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new Error(`fixture truncated at byte ${this.at}`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.at, true);
    this.at += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return v;
  }
  get done(): boolean {
    return this.at >= this.buf.length;
  }
}

function writeRecord(w: Writer, r: CaseRecord): void {
  w.u32(r.seed);
  w.u8(r.code.length);
  w.bytes(r.code);
  w.u8(r.starts.length);
  for (const s of r.starts) w.u8(s);
  for (const f of r.undefinedFlags) w.u8(packFlags(f));
  w.u8(r.regPatches.length);
  for (const [reg, v] of r.regPatches) {
    w.u8(reg);
    w.u64(v);
  }
  w.u8(r.memPatches.length);
  for (const p of r.memPatches) {
    w.u32(p.address);
    w.u8(p.bytes.length);
    w.bytes(p.bytes);
  }
  let undefinedRegs = 0;
  r.undefinedRegBytes.forEach((m, i) => (undefinedRegs |= m ? 1 << i : 0));
  w.u16(undefinedRegs);
  r.undefinedRegBytes.forEach((m) => m && w.u8(m));
  w.u8(r.undefinedFsw ? 1 : 0);
  if (r.undefinedFsw) for (const f of r.undefinedFsw) w.u8(packFsw(f));
  const o = r.outcome;
  w.u8(o.fault ? 1 : 0);
  if (o.fault) {
    w.u8(o.fault.vector);
    w.u8(o.fault.ripOffset);
    w.u32(o.fault.errorCode);
    w.u64(o.fault.address);
  }
  let changed = 0;
  for (const reg of o.gprXor.keys()) changed |= 1 << reg;
  w.u16(changed);
  for (let i = 0; i < 16; i++) if (changed & (1 << i)) w.u64(o.gprXor.get(i)!);
  w.u16(o.rflags & COMPARED_FLAGS);
  w.u32(o.mxcsr);
  let xmm = 0;
  for (const reg of o.xmm.keys()) xmm |= 1 << reg;
  w.u16(xmm);
  for (let i = 0; i < 16; i++) if (xmm & (1 << i)) w.bytes(o.xmm.get(i)!);
  w.u16(o.memory.length);
  for (const run of o.memory) {
    w.u32(run.address);
    w.u16(run.bytes.length);
    w.bytes(run.bytes);
  }
  if (r.undefinedFsw) w.bytes(o.x87 ?? new Uint8Array(X87_OUTCOME_BYTES));
}

function readRecord(r: Reader): CaseRecord {
  const seed = r.u32();
  const code = r.bytes(r.u8());
  const count = r.u8();
  const starts: number[] = [];
  for (let i = 0; i < count; i++) starts.push(r.u8());
  const undefinedFlags: number[] = [];
  for (let i = 0; i <= count; i++) undefinedFlags.push(unpackFlags(r.u8()));
  const regPatches: Array<[number, bigint]> = [];
  for (let n = r.u8(); n > 0; n--) regPatches.push([r.u8(), r.u64()]);
  const memPatches: Array<{ address: number; bytes: Uint8Array }> = [];
  for (let n = r.u8(); n > 0; n--) {
    const address = r.u32();
    memPatches.push({ address, bytes: r.bytes(r.u8()) });
  }
  const undefinedRegBytes = new Uint8Array(16);
  const undefinedRegs = r.u16();
  for (let i = 0; i < 16; i++) if (undefinedRegs & (1 << i)) undefinedRegBytes[i] = r.u8();
  let undefinedFsw: number[] | undefined;
  if (r.u8() === 1) {
    undefinedFsw = [];
    for (let i = 0; i <= count; i++) undefinedFsw.push(unpackFsw(r.u8()));
  }
  const outcome: CaseOutcome = { gprXor: new Map(), rflags: 0, mxcsr: 0, xmm: new Map(), memory: [] };
  if (r.u8() === 1) {
    const vector = r.u8();
    const ripOffset = r.u8();
    outcome.fault = { vector, ripOffset, errorCode: r.u32(), address: r.u64() };
  }
  const changed = r.u16();
  for (let i = 0; i < 16; i++) if (changed & (1 << i)) outcome.gprXor.set(i, r.u64());
  outcome.rflags = r.u16();
  outcome.mxcsr = r.u32();
  const xmm = r.u16();
  for (let i = 0; i < 16; i++) if (xmm & (1 << i)) outcome.xmm.set(i, r.bytes(16));
  for (let n = r.u16(); n > 0; n--) {
    const address = r.u32();
    outcome.memory.push({ address, bytes: r.bytes(r.u16()) });
  }
  if (undefinedFsw) outcome.x87 = r.bytes(X87_OUTCOME_BYTES);
  return { seed, code, starts, regPatches, memPatches, undefinedFlags, undefinedRegBytes, ...(undefinedFsw ? { undefinedFsw } : {}), outcome };
}

/** Encodes a fixture file (gzip). */
export function encodeFixture(header: FixtureHeader, records: readonly CaseRecord[]): Uint8Array {
  const w = new Writer();
  w.u32(MAGIC);
  w.u16(FORMAT_VERSION);
  w.u16(STATE_VERSION);
  const meta = new TextEncoder().encode(JSON.stringify(header.meta));
  w.u32(meta.length);
  w.bytes(meta);
  w.u32(records.length);
  for (const r of records) writeRecord(w, r);
  return gzipSync(w.result(), { level: 9 });
}

/** Decodes a fixture file; throws on a wrong magic, version or a truncated record. */
export function decodeFixture(file: Uint8Array): { header: FixtureHeader; records: CaseRecord[] } {
  const r = new Reader(new Uint8Array(gunzipSync(file))); // not a Buffer: its slice() is a view
  if (r.u32() !== MAGIC) throw new Error("not a nanots differential fixture (bad magic)");
  const format = r.u16();
  const state = r.u16();
  if (format !== FORMAT_VERSION || state !== STATE_VERSION) {
    throw new Error(`fixture is format ${format}/state ${state}, this code reads ${FORMAT_VERSION}/${STATE_VERSION}: capture it again`);
  }
  const meta = JSON.parse(new TextDecoder().decode(r.bytes(r.u32()))) as Record<string, unknown>;
  const count = r.u32();
  const records: CaseRecord[] = [];
  for (let i = 0; i < count; i++) {
    try {
      records.push(readRecord(r));
    } catch (e) {
      throw new Error(`fixture record ${i}: ${(e as Error).message}`);
    }
  }
  if (!r.done) throw new Error(`fixture has ${r.at} bytes of records but more data follows`);
  return { header: { meta }, records };
}
