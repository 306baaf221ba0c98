/**
 * Escapes bytes as strace does: `\n \t \r \v \f`, `\"` and `\\`, printable ASCII as is,
 * anything else in octal (`\0`, `\177`; three digits when an octal digit follows). With
 * `hex`, every byte is `\xNN` (strace's form for binary data such as getrandom's).
 */
export function escapeBytes(bytes: Uint8Array, hex = false): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (hex) {
      s += `\\x${b.toString(16).padStart(2, "0")}`;
      continue;
    }
    switch (b) {
      case 0x22: s += '\\"'; break;
      case 0x5c: s += "\\\\"; break;
      case 0x0a: s += "\\n"; break;
      case 0x09: s += "\\t"; break;
      case 0x0d: s += "\\r"; break;
      case 0x0b: s += "\\v"; break;
      case 0x0c: s += "\\f"; break;
      default: {
        if (b >= 0x20 && b < 0x7f) {
          s += String.fromCharCode(b);
          break;
        }
        const next = bytes[i + 1];
        const octal = b.toString(8);
        s += `\\${next !== undefined && next >= 0x30 && next <= 0x37 ? octal.padStart(3, "0") : octal}`;
      }
    }
  }
  return s;
}

/** A quoted buffer: `"abc"`, or `"abc"...` when longer than `max` bytes. */
export function quoteBytes(bytes: Uint8Array, max: number, hex = false): string {
  const shown = bytes.length > max ? bytes.subarray(0, max) : bytes;
  return `"${escapeBytes(shown, hex)}"${bytes.length > max ? "..." : ""}`;
}
