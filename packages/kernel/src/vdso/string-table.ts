/** An ELF string table under construction: NUL-terminated strings, offset 0 is the empty string. */
export class StringTable {
  private readonly offsets = new Map<string, number>([["", 0]]);
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private length = 1;

  /** Adds `text` (once, however often it is added) and returns its offset. */
  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const encoded = new TextEncoder().encode(`${text}\0`);
    const offset = this.length;
    this.offsets.set(text, offset);
    this.parts.push(encoded);
    this.length += encoded.length;
    return offset;
  }

  /** The table's bytes so far. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
