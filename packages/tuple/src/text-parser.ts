import { TupleError } from "./tuple-error.js";

/**
 * What the streaming text parsers ({@link ManifestParser}, {@link JsonParser}) share: input in
 * chunks of text or UTF-8 bytes, line and column bookkeeping, and a first error that stops the
 * parser and is thrown again on any further call.
 */
export abstract class TextParser {
  /** 1-based line of the character being parsed. */
  protected line = 1;
  /** 1-based column, in characters, of the character being parsed (0 before a line's first). */
  protected column = 0;
  #error: TupleError | undefined;
  #bytes: InstanceType<typeof TextDecoder> | undefined;

  /** Parses more input. Bytes are decoded as UTF-8 across chunk boundaries. */
  feed(chunk: string | Uint8Array): this {
    if (this.#error !== undefined) throw this.#error;
    const text = typeof chunk === "string" ? chunk : (this.#bytes ??= new TextDecoder()).decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      i = this.run(text, i);
      if (i === text.length) break;
      const c = text[i]!;
      if (c === "\n") {
        this.line++;
        this.column = 0;
      } else {
        const code = c.charCodeAt(0);
        if (code < 0xdc00 || code > 0xdfff) this.column++; // a low surrogate shares its pair's column
      }
      this.step(c);
    }
    return this;
  }

  /**
   * Takes a run of characters that need no state change at once (keeping `line` and `column`
   * right) instead of stepping through them one by one. Returns where the run stops.
   */
  protected abstract run(text: string, start: number): number;

  /** Parses one character; `line` and `column` already point at it. */
  protected abstract step(c: string): void;

  /** Rethrows the error that stopped the parser, then parses the bytes the decoder still holds. */
  protected finishInput(): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.#bytes !== undefined) this.feed(this.#bytes.decode());
  }

  /** Stops the parser with `message` at the current line and column. */
  protected fail(message: string): never {
    this.#error = new TupleError(`${message} at line ${this.line}, column ${this.column}`, { line: this.line, column: this.column });
    throw this.#error;
  }
}
