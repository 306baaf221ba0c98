/**
 * An x87 double-extended value: the sign/exponent word and the 64-bit significand (with its
 * explicit integer bit) as two uint32 halves. Immutable.
 */
export class F80 {
  /**
   * @param se - sign (bit 15) and biased exponent (bits 0–14)
   * @param hi - significand bits 32–63 (bit 31 is the integer bit), unsigned
   * @param lo - significand bits 0–31, unsigned
   */
  constructor(
    readonly se: number,
    readonly hi: number,
    readonly lo: number,
  ) {}

  /** Builds a value from a sign/exponent word and a 64-bit significand. */
  static of(se: number, significand: bigint): F80 {
    return new F80(se & 0xffff, Number((significand >> 32n) & 0xffffffffn), Number(significand & 0xffffffffn));
  }

  /** Parses 20 hex digits: the sign/exponent word, then the significand. */
  static fromHex(hex: string): F80 {
    if (!/^[0-9a-fA-F]{20}$/.test(hex)) throw new RangeError(`F80.fromHex: expected 20 hex digits, got "${hex}"`);
    return new F80(parseInt(hex.slice(0, 4), 16), parseInt(hex.slice(4, 12), 16), parseInt(hex.slice(12), 16));
  }

  /** Reads the 10-byte little-endian memory image at `offset`. */
  static read(bytes: Uint8Array, offset: number): F80 {
    const b = (k: number): number => bytes[offset + k]!;
    return new F80(
      b(8) | (b(9) << 8),
      (b(4) | (b(5) << 8) | (b(6) << 16) | (b(7) << 24)) >>> 0,
      (b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24)) >>> 0,
    );
  }

  /** Writes the 10-byte little-endian memory image at `offset`. */
  write(bytes: Uint8Array, offset: number): void {
    for (let k = 0; k < 4; k++) {
      bytes[offset + k] = this.lo >>> (8 * k);
      bytes[offset + 4 + k] = this.hi >>> (8 * k);
    }
    bytes[offset + 8] = this.se;
    bytes[offset + 9] = this.se >>> 8;
  }

  /** 1 when negative. */
  get sign(): number {
    return this.se >>> 15;
  }

  /** The biased exponent (0–0x7fff). */
  get exponent(): number {
    return this.se & 0x7fff;
  }

  /** The 64-bit significand, integer bit included. */
  get significand(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The same value with the sign bit replaced. */
  withSign(sign: number): F80 {
    return new F80((this.se & 0x7fff) | (sign << 15), this.hi, this.lo);
  }

  /** True when both have the same bits. */
  equals(other: F80): boolean {
    return this.se === other.se && this.hi === other.hi && this.lo === other.lo;
  }

  /** 20 hex digits: sign/exponent word, then the significand (the format of {@link F80.fromHex}). */
  toHex(): string {
    return this.se.toString(16).padStart(4, "0") + this.hi.toString(16).padStart(8, "0") + this.lo.toString(16).padStart(8, "0");
  }

  /** The nearest double (round to nearest even), for display and transcendental functions. */
  toNumber(): number {
    return toDouble(this);
  }

  /** Debug form: the hex bits and the approximate value. */
  toString(): string {
    return `${this.toHex()} (~${this.toNumber()})`;
  }
}

function toDouble(x: F80): number {
  const e = x.exponent;
  const sign = x.sign ? -1 : 1;
  if (e === 0x7fff) return x.hi & 0x7fffffff || x.lo ? NaN : sign * Infinity;
  // Two halves scaled separately: each product is exact, the sum rounds once.
  const scale = Math.max(e, 1) - 16383 - 63;
  return sign * (x.hi * 2 ** 32 + x.lo) * 2 ** scale;
}

/** Biased exponent bias of the double-extended format. */
export const F80_BIAS = 16383;

/** +0. */
export const F80_ZERO = new F80(0, 0, 0);
/** +1. */
export const F80_ONE = new F80(0x3fff, 0x80000000, 0);
/** +infinity. */
export const F80_INFINITY = new F80(0x7fff, 0x80000000, 0);
/** The x87 default NaN ("real indefinite"): negative quiet NaN 0xFFFF_C000000000000000. */
export const F80_DEFAULT_NAN = new F80(0xffff, 0xc0000000, 0);

/** What an F80 encodes, as the hardware sees it. */
export const F80Kind = {
  Zero: 0,
  /** Exponent 0, integer bit 0, significand not 0. */
  Denormal: 1,
  /** Exponent 0 with the integer bit set: read as a denormal of exponent 1 (raises DE). */
  PseudoDenormal: 2,
  Normal: 3,
  Infinity: 4,
  QNaN: 5,
  SNaN: 6,
  /** Unnormals, pseudo-NaNs and pseudo-infinities: an invalid operand (IE) for every operation. */
  Unsupported: 7,
} as const;

/** Classifies a value (see {@link F80Kind}). */
export function kindOf(x: F80): number {
  const e = x.se & 0x7fff;
  const integer = x.hi >>> 31;
  if (e === 0) {
    if (integer) return F80Kind.PseudoDenormal;
    return x.hi || x.lo ? F80Kind.Denormal : F80Kind.Zero;
  }
  if (!integer) return F80Kind.Unsupported;
  if (e !== 0x7fff) return F80Kind.Normal;
  if ((x.hi & 0x7fffffff) === 0 && x.lo === 0) return F80Kind.Infinity;
  return x.hi & 0x40000000 ? F80Kind.QNaN : F80Kind.SNaN;
}

/** True for denormals and pseudo-denormals (operands that raise DE). */
export function isDenormalKind(kind: number): boolean {
  return kind === F80Kind.Denormal || kind === F80Kind.PseudoDenormal;
}
