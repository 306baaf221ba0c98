import { intern } from "./symbol.js";
import { Tuple } from "./tuple.js";
import { TextParser } from "./text-parser.js";
import { TupleError } from "./tuple-error.js";
import type { Value, Vector } from "./value.js";

/** Options of {@link ManifestParser}. */
export interface ManifestParserOptions {
  /**
   * `"tuple"` (default): each top-level value must be a tuple, as for `mkfs` manifests and `-t`
   * (Nanos `tuple_parser`). `"value"`: any value is accepted at top level (Nanos `value_parser`).
   */
  topLevel?: "tuple" | "value";
  /** Called with each complete top-level value, in order. */
  onValue?: (value: Value) => void;
}

// States of the push parser. "Skip" states skip whitespace and `#` comments first.
const TOP = 0; // skip; then a top-level value
const BEFORE_NAME = 1; // skip; then `)` or an attribute name (Nanos is_end_of_tuple)
const NAME = 2; // bare name
const NAME_QUOTED = 3;
const AFTER_NAME = 4; // skip; then `:`
const AFTER_COLON = 5; // `(`, `[`, or skip then a string (Nanos parse_value)
const STRING_START = 6; // skip; then a quoted or bare string
const STRING = 7; // bare string
const STRING_QUOTED = 8;
const AFTER_ELEMENT = 9; // `]`, or else a new element (no skip: the `[x ]` quirk)
const VECTOR_START = 10; // skip; then `]` or an element
const ELEMENT = 11; // skip; then a value
const COMMENT = 12;
const FAILED = 13;

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

function stopTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}
// Characters that end a bare name, a bare value, or a run inside quotes.
const NAME_STOPS = stopTable("()[]:|/ \t\r\n");
const VALUE_STOPS = stopTable("()[] \t\r\n");
const QUOTED_STOPS = stopTable('"\\\n');

function isStop(table: Uint8Array, c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x80 && table[code] === 1;
}

interface Open {
  readonly value: Tuple | Vector;
  readonly line: number;
  readonly column: number;
  key: string;
  index: number;
}

/**
 * The Nanos manifest (tuple text) parser: a push parser fed in chunks of any size, with no
 * recursion (nesting depth is limited only by memory).
 *
 * Grammar, as Nanos's `tuple_parser.c` reads it: a tuple is `(` then `name:value` entries
 * separated only by whitespace, then `)`; a vector is `[` values `]`; names end at whitespace or
 * one of `( ) [ ] : | /`, values at whitespace or `( ) [ ]` (so `PATH:/bin:/usr/bin` and `k:a|b`
 * are plain strings); `"quoted"` names and values may hold anything, a backslash taking the next
 * character literally; `#` starts a comment wherever whitespace may be skipped; every scalar is a
 * string. Quirks kept: whitespace before `]` adds an empty-string element (`[a ]` has two
 * elements); whitespace between `:` and a `(` or `[` value is an error; when several top-level
 * values follow each other, each is reported and the last one wins.
 *
 * Errors throw {@link TupleError} with the Nanos message (`unknown property discriminator 40`,
 * `parse_tuple fail, leading char 'x'`) plus the line and column; the parser then refuses
 * further input.
 *
 * @example
 * ```ts
 * const parser = new ManifestParser();
 * parser.feed("(program:/bin/hello argu").feed("ments:[/bin/hello world])");
 * const root = parser.end() as Tuple;
 * ```
 */
export class ManifestParser extends TextParser {
  readonly #valueMode: boolean;
  readonly #onValue: ((value: Value) => void) | undefined;
  readonly #open: Open[] = [];
  #state = TOP;
  #afterComment = TOP;
  #escape = false;
  #text = "";
  #last: Value | undefined;

  /** A parser waiting for its first chunk. */
  constructor(options: ManifestParserOptions = {}) {
    super();
    this.#valueMode = options.topLevel === "value";
    this.#onValue = options.onValue;
  }

  /**
   * Inside a name or string, takes the whole run of ordinary characters at once (the common
   * case) instead of stepping through the state machine per character. Returns where the run
   * stops: at the character that needs the state machine, or the end of the text.
   */
  protected run(text: string, start: number): number {
    const state = this.#state;
    let stops: Uint8Array;
    if (state === NAME) stops = NAME_STOPS;
    else if (state === STRING) stops = VALUE_STOPS;
    else if ((state === STRING_QUOTED || state === NAME_QUOTED) && !this.#escape) stops = QUOTED_STOPS;
    else return start;
    let i = start;
    let columns = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80 && stops[code] === 1) break;
      if (code < 0xdc00 || code > 0xdfff) columns++;
    }
    if (i > start) {
      this.#text += text.slice(start, i);
      this.column += columns;
    }
    return i;
  }

  /**
   * Signals the end of input and returns the last complete top-level value (`undefined` for
   * input holding only whitespace and comments). A bare word at top level ends here.
   *
   * @throws {@link TupleError} when a tuple, vector or quoted string is still open.
   */
  end(): Value | undefined {
    this.finishInput();
    if (this.#state === STRING && this.#open.length === 0) this.#complete(this.#takeText());
    const open = this.#open[this.#open.length - 1];
    if (open !== undefined) {
      const what = open.value instanceof Tuple ? "tuple" : "vector";
      this.#fail(`unexpected end of input: ${what} opened at line ${open.line}, column ${open.column} is not closed`);
    }
    if (this.#state === STRING_QUOTED || this.#state === NAME_QUOTED) this.#fail("unexpected end of input inside a quoted string");
    return this.#last;
  }

  #fail(message: string): never {
    this.#state = FAILED;
    return this.fail(message);
  }

  #takeText(): string {
    const text = this.#text;
    this.#text = "";
    return text;
  }

  #skip(c: string): boolean {
    if (WHITESPACE.has(c)) return true;
    if (c !== "#") return false;
    this.#afterComment = this.#state;
    this.#state = COMMENT;
    return true;
  }

  #openComposite(value: Tuple | Vector): void {
    this.#open.push({ value, line: this.line, column: this.column, key: "", index: 0 });
    this.#state = value instanceof Tuple ? BEFORE_NAME : VECTOR_START;
  }

  /** A value is finished: store it in its container, or report it at top level. */
  #complete(value: Value): void {
    const parent = this.#open[this.#open.length - 1];
    if (parent === undefined) {
      this.#last = value;
      this.#state = TOP;
      this.#onValue?.(value);
    } else if (parent.value instanceof Tuple) {
      parent.value.set(intern(parent.key), value);
      this.#state = BEFORE_NAME;
    } else {
      parent.value[parent.index++] = value;
      this.#state = AFTER_ELEMENT;
    }
  }

  /** A name or string starts at `c`: quoted if `c` is a quote, else bare. */
  #startText(c: string, quoted: number, bare: number): void {
    if (c === '"') {
      this.#state = quoted;
      return;
    }
    this.#state = bare;
    this.step(c);
  }

  #close(): void {
    this.#complete(this.#open.pop()!.value);
  }

  protected step(c: string): void {
    switch (this.#state) {
      case COMMENT:
        if (c === "\n") this.#state = this.#afterComment;
        return;
      case TOP:
        if (this.#skip(c)) return;
        if (this.#valueMode) {
          if (c === ")" || c === "]") this.#fail(`unexpected '${c}' outside any tuple or vector`);
          this.#state = AFTER_COLON;
          return this.step(c);
        }
        if (c !== "(") this.#fail(`parse_tuple fail, leading char '${c}'`);
        return this.#openComposite(new Tuple());
      case BEFORE_NAME:
        if (this.#skip(c)) return;
        if (c === ")") return this.#close();
        return this.#startText(c, NAME_QUOTED, NAME);
      case NAME:
        if (!isStop(NAME_STOPS, c)) {
          this.#text += c;
          return;
        }
        this.#open[this.#open.length - 1]!.key = this.#takeText();
        this.#state = AFTER_NAME;
        return this.step(c);
      case NAME_QUOTED:
      case STRING_QUOTED:
        if (this.#escape) {
          this.#escape = false;
          this.#text += c;
        } else if (c === "\\") {
          this.#escape = true;
        } else if (c !== '"') {
          this.#text += c;
        } else if (this.#state === NAME_QUOTED) {
          this.#open[this.#open.length - 1]!.key = this.#takeText();
          this.#state = AFTER_NAME;
        } else {
          this.#complete(this.#takeText());
        }
        return;
      case AFTER_NAME:
        if (this.#skip(c)) return;
        if (c !== ":") this.#fail(`unknown property discriminator ${c.codePointAt(0)}`);
        this.#state = AFTER_COLON;
        return;
      case AFTER_COLON:
        if (c === "(") return this.#openComposite(new Tuple());
        if (c === "[") return this.#openComposite([]);
        this.#state = STRING_START;
        return this.step(c);
      case STRING_START:
        if (this.#skip(c)) return;
        return this.#startText(c, STRING_QUOTED, STRING);
      case STRING:
        if (!isStop(VALUE_STOPS, c)) {
          this.#text += c;
          return;
        }
        this.#complete(this.#takeText());
        return this.step(c);
      case AFTER_ELEMENT:
        if (c === "]") return this.#close();
        // Nanos would read empty strings here forever; `)` can never start an element.
        if (c === ")") this.#fail("unexpected ')' in a vector");
        this.#state = ELEMENT;
        return this.step(c);
      case VECTOR_START:
        if (this.#skip(c)) return;
        if (c === "]") return this.#close();
        if (c === ")") this.#fail("unexpected ')' in a vector");
        this.#state = AFTER_COLON;
        return this.step(c);
      case ELEMENT:
        if (this.#skip(c)) return;
        if (c === ")") this.#fail("unexpected ')' in a vector");
        this.#state = AFTER_COLON;
        return this.step(c);
    }
  }
}

/**
 * Parses a whole manifest (Nanos `tuple_parser`): the last top-level tuple.
 *
 * @throws {@link TupleError} on a syntax error (with line and column) or when the input holds
 *   no tuple at all.
 */
export function parseManifest(text: string | Uint8Array): Tuple {
  const root = new ManifestParser().feed(text).end();
  if (root === undefined) throw new TupleError("empty manifest: no tuple found");
  return root as Tuple;
}

/** Parses text holding one value of any kind (Nanos `value_parser`); `undefined` if empty. */
export function parseValueText(text: string | Uint8Array): Value | undefined {
  return new ManifestParser({ topLevel: "value" }).feed(text).end();
}
