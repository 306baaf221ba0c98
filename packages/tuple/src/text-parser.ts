import { TupleError } from "./tuple-error.js";

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

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
  #highSurrogate = ""; // the last character of a text chunk, if it may start a pair

  /**
   * Parses more input. Bytes are decoded as UTF-8 across chunk boundaries; a surrogate pair
   * split between two text chunks is joined, so each step sees whole characters.
   */
  feed(chunk: string | Uint8Array): this {
    if (this.#error !== undefined) throw this.#error;
    let text = typeof chunk === "string" ? chunk : (this.#bytes ??= new TextDecoder()).decode(chunk, { stream: true });
    text = this.#highSurrogate + text;
    this.#highSurrogate = "";
    if (isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.#highSurrogate = text[text.length - 1]!;
      text = text.slice(0, -1);
    }
    for (let i = 0; i < text.length; i++) {
      i = this.run(text, i);
      if (i === text.length) break;
      let c = text[i]!;
      const code = c.charCodeAt(0);
      if (code === 0x0a) {
        this.line++;
        this.column = 0;
      } else if (code < 0xdc00 || code > 0xdfff) {
        this.column++; // a lone low surrogate has no column of its own
        if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) c = text.slice(i, ++i + 1);
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

  /** Parses one character (a surrogate pair or, rarely, a lone surrogate); `line` and `column` already point at it. */
  protected abstract step(c: string): void;

  /** Rethrows the error that stopped the parser, then parses the bytes the decoder still holds. */
  protected finishInput(): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.#bytes !== undefined) this.feed(this.#bytes.decode());
    if (this.#highSurrogate !== "") {
      const lone = this.#highSurrogate;
      this.#highSurrogate = "";
      this.column++;
      this.step(lone);
    }
  }

  /** Stops the parser with `message` at the current line and column. */
  protected fail(message: string): never {
    this.#error = new TupleError(`${message} at line ${this.line}, column ${this.column}`, { line: this.line, column: this.column });
    throw this.#error;
  }
}
