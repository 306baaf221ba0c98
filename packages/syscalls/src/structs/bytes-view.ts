/** A little-endian DataView over `bytes` (x86-64 is little-endian). @internal */
export function le(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const TWO_32 = 2 ** 32;

/**
 * Stores a 64-bit field from a number (two's complement for negatives) as two 32-bit halves:
 * exact for safe integers, and no BigInt on the way (struct encoding is on hot paths).
 * @internal
 */
export function set64(v: DataView, offset: number, value: number): void {
  const n = Math.trunc(value);
  v.setUint32(offset, n >>> 0, true);
  v.setUint32(offset + 4, Math.floor(n / TWO_32) >>> 0, true);
}

/** A signed 64-bit field as a number (rounded beyond 2^53). @internal */
export function getI64(v: DataView, offset: number): number {
  return v.getInt32(offset + 4, true) * TWO_32 + v.getUint32(offset, true);
}

/** An unsigned 64-bit field as a number (rounded beyond 2^53). @internal */
export function getU64(v: DataView, offset: number): number {
  return v.getUint32(offset + 4, true) * TWO_32 + v.getUint32(offset, true);
}

/** The bytes of `length` starting at `offset` up to the first NUL, as UTF-8. @internal */
export function getCString(bytes: Uint8Array, offset: number, length: number): string {
  const field = bytes.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? field : field.subarray(0, nul));
}

/** Stores `text` as UTF-8 in a fixed field, cut to leave room for the NUL. @internal */
export function setCString(bytes: Uint8Array, offset: number, length: number, text: string): void {
  const encoded = new TextEncoder().encode(text).subarray(0, length - 1);
  bytes.fill(0, offset, offset + length);
  bytes.set(encoded, offset);
}

/** The parts one after another in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
