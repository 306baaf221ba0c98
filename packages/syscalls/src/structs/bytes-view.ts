/** A little-endian DataView over `bytes` (x86-64 is little-endian). @internal */
export function le(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Stores a 64-bit field from a number (two's complement for negatives). @internal */
export function set64(v: DataView, offset: number, value: number): void {
  v.setBigUint64(offset, BigInt.asUintN(64, BigInt(Math.trunc(value))), true);
}

/** A signed 64-bit field as a number. @internal */
export function getI64(v: DataView, offset: number): number {
  return Number(v.getBigInt64(offset, true));
}

/** An unsigned 64-bit field as a number. @internal */
export function getU64(v: DataView, offset: number): number {
  return Number(v.getBigUint64(offset, true));
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
