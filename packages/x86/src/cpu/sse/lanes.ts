// A 16-byte vector value with a typed view for every lane width. Handlers copy operands into
// Lanes scratch values, the lane operations compute in place, and the result is copied back.

/** Sixteen bytes viewed as lanes of every width (little-endian, like the registers). */
export class Lanes {
  /** Sixteen unsigned bytes. */
  readonly u8: Uint8Array;
  /** Sixteen signed bytes. */
  readonly i8: Int8Array;
  /** Eight unsigned words. */
  readonly u16: Uint16Array;
  /** Eight signed words. */
  readonly i16: Int16Array;
  /** Four unsigned dwords. */
  readonly u32: Uint32Array;
  /** Four signed dwords (also float32 lanes as bit patterns). */
  readonly i32: Int32Array;
  /** Two float64 lanes. */
  readonly f64: Float64Array;

  /** Sixteen fresh bytes, or a view of the 16 bytes at `offset` in `buffer` (16-aligned). */
  constructor(buffer: ArrayBufferLike = new ArrayBuffer(16), offset = 0) {
    this.u8 = new Uint8Array(buffer, offset, 16);
    this.i8 = new Int8Array(buffer, offset, 16);
    this.u16 = new Uint16Array(buffer, offset, 8);
    this.i16 = new Int16Array(buffer, offset, 8);
    this.u32 = new Uint32Array(buffer, offset, 4);
    this.i32 = new Int32Array(buffer, offset, 4);
    this.f64 = new Float64Array(buffer, offset, 2);
  }

  /** Copies all sixteen bytes from another value. */
  set(from: Lanes): void {
    const d = this.i32;
    const f = from.i32;
    d[0] = f[0]!;
    d[1] = f[1]!;
    d[2] = f[2]!;
    d[3] = f[3]!;
  }

  /** Copies the first `bytes` bytes (8 or 16) from another value. */
  setFirst(from: Lanes, bytes: number): void {
    const d = this.i32;
    const f = from.i32;
    d[0] = f[0]!;
    d[1] = f[1]!;
    if (bytes === 16) {
      d[2] = f[2]!;
      d[3] = f[3]!;
    }
  }
}

/**
 * An operation on vector lanes: reads `d` (the destination's old value) and `s` (the source),
 * leaves the result in `d`. `bytes` is 16 for XMM and 8 for MMX operands; `imm` is the
 * immediate byte (0 when there is none).
 */
export type LaneOp = (d: Lanes, s: Lanes, imm: number, bytes: number) => void;

/** XMM0, the implicit mask of PBLENDVB/BLENDVPS/BLENDVPD, loaded by the handler before the op. */
export const implicitXmm0 = new Lanes();

/** A scratch value for operations that cannot work in place. */
export const scratch = new Lanes();
