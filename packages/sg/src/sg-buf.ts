import type { RefCount } from "./ref-count.js";

/**
 * One fragment of a scatter/gather list: `bytes` is the whole fragment, of which the first
 * `offset` bytes are already consumed, so the live data is `bytes.subarray(offset)`.
 * `ref` (optional) is released when the fragment leaves the list.
 */
export interface SgBuf {
  readonly bytes: Uint8Array;
  offset: number;
  readonly ref: RefCount | undefined;
}

/** The live (unconsumed) bytes of a fragment, as a view. */
export function liveBytes(buf: SgBuf): Uint8Array {
  return buf.bytes.subarray(buf.offset);
}

/** Number of live bytes of a fragment. */
export function liveLength(buf: SgBuf): number {
  return buf.bytes.length - buf.offset;
}
