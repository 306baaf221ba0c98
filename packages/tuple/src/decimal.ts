/**
 * Parses optional `-` then decimal digits, as Nanos `parse_int` does for numbers stored as
 * text; anything else gives `undefined`.
 */
export function parseDecimal(text: string): bigint | undefined {
  return /^-?[0-9]+$/.test(text) ? BigInt(text) : undefined;
}
