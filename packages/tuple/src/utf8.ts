const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Decodes `bytes[start, end)` as UTF-8, or returns `undefined` when it is not valid UTF-8.
 * Short ASCII runs (the common case for names) skip TextDecoder, which is slow on tiny inputs.
 */
export function utf8DecodeStrict(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start <= 64) {
    let i = start;
    while (i < end && bytes[i]! < 0x80) i++;
    if (i === end) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD (for display only). */
export function utf8DecodeLossy(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Bytes as a string of code units 0–255, one per byte: an exact, reversible key. */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}
