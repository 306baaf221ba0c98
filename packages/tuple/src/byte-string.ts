import { utf8DecodeLossy } from "./utf8.js";

/**
 * A scalar held as raw bytes: either an **untyped buffer** (`untyped: true`; every scalar of a
 * version-4 log, and binary data) or a **string** whose bytes are not valid UTF-8
 * (`untyped: false`; strings that are valid UTF-8 are plain JS strings). Encodes back to exactly
 * the same bytes and type.
 */
export class ByteString {
  /** The bytes, not copied: do not mutate them while the value is in use. */
  readonly bytes: Uint8Array;
  /** True for an untyped buffer (type 0), false for a string (type 4). */
  readonly untyped: boolean;

  /** Wraps `bytes` (not copied) as an untyped buffer, or as a string when `untyped` is false. */
  constructor(bytes: Uint8Array, untyped = true) {
    this.bytes = bytes;
    this.untyped = untyped;
  }

  /** The bytes as UTF-8 text (invalid sequences become U+FFFD). */
  toString(): string {
    return utf8DecodeLossy(this.bytes);
  }
}
