import { intern } from "./symbol.js";
import { Tuple } from "./tuple.js";
import { TextParser } from "./text-parser.js";
import { TupleError } from "./tuple-error.js";

/** Options of {@link JsonParser}. */
export interface JsonParserOptions {
  /** Called with each complete top-level object, in order. */
  onValue?: (value: Tuple) => void;
}

// States of the push parser. States marked "skip" skip JSON whitespace first.
const TOP = 0; // skip; then `{`
const MEMBER_START = 1; // skip; then `"` (a name) or `}` (Nanos JSON_OBJ_STATE_ATTR_BEGIN)
const MEMBER_END = 2; // skip; then `,` or `}` (JSON_OBJ_STATE_ATTR_END)
const NAME = 3; // inside a quoted name
const AFTER_NAME = 4; // skip; then `:`
const VALUE = 5; // skip; then the first character of a value
const STRING = 6; // inside a quoted string value
const NUMBER = 7;
const LITERAL = 8; // `true`, `false` or `null`
const ELEMENT_START = 9; // skip; then `]` or a value
const ELEMENT_END = 10; // skip; then `,` or `]`
const FAILED = 11;
const SKIPS_WHITESPACE = Uint8Array.from({ length: FAILED + 1 }, (_, state) =>
  [TOP, MEMBER_START, MEMBER_END, AFTER_NAME, VALUE, ELEMENT_START, ELEMENT_END].includes(state) ? 1 : 0,
);

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);
const DIGITS = "0123456789";
const HEX = /^[0-9a-fA-F]{4}$/;
// One-letter escapes Nanos translates; any other escaped character stands for itself.
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };

// Characters that end a run of ordinary string characters (`\n` only to count lines).
function isStringStop(code: number): boolean {
  return code === 0x22 || code === 0x5c || code === 0x0a;
}

/** An open object or array. */
interface Open {
  readonly array: boolean;
  /** The object being built; null for an array and for an object inside one (discarded). */
  readonly tuple: Tuple | null;
  /** The name of the member being read. */
  key: string;
}

/** How a character appears in a message: itself, or `U+XXXX` if invisible or a lone surrogate. */
function shown(c: string): string {
  const code = c.codePointAt(0)!;
  const visible = code > 0x20 && code !== 0x7f && (code < 0xd800 || code > 0xdfff);
  return !visible ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : c;
}

/**
 * The Nanos JSON parser (`json_parser` of `src/runtime/json.c`, used for cloud metadata): a
 * push parser fed in chunks of any size, with no recursion (nesting depth is limited only by
 * memory, as in Nanos, whose parser keeps its state on the heap).
 *
 * Each top-level value must be an object. Objects become {@link Tuple}s and strings become
 * string values; numbers, `true`, `false`, `null` and arrays are checked and then **discarded**,
 * so the attribute that held one is absent (and keeps the value an earlier member of the same
 * name gave it).
 * Leniencies kept from Nanos: a trailing comma before `}` or `]`; numbers such as `007`, `.5`
 * and `-.5`; unknown escapes (`\x` is `x`); raw control characters inside strings. Fixed from
 * Nanos (see the README): whitespace inside arrays, `\uXXXX` escapes, exponents in numbers, and
 * an end of input inside `true`/`false`/`null`.
 *
 * Errors throw {@link TupleError} with the Nanos message (`unexpected character a`,
 * `unexpected end of input`, `no digits found`, `unexpected decimal point`,
 * `empty attribute name`) plus the line and column; the parser then refuses further input.
 *
 * @example
 * ```ts
 * const parser = new JsonParser();
 * parser.feed('{"compute":{"vmId":"3f2').feed('a","tags":[1,2]}}');
 * const root = parser.end()!; // (compute:(vmId:3f2a))
 * ```
 */
export class JsonParser extends TextParser {
  readonly #onValue: ((value: Tuple) => void) | undefined;
  readonly #open: Open[] = [];
  #state = TOP;
  #escape = false;
  #inHex = false; // inside the four digits of a `\u` escape
  #hex = "";
  #text = "";
  #digits = false; // a digit seen in the current part of a number
  #fraction = false;
  #exponent = false;
  #signAllowed = false; // just after `e`/`E`
  #literal = "";
  #literalIndex = 0;
  #last: Tuple | undefined;

  /** A parser waiting for its first chunk. */
  constructor(options: JsonParserOptions = {}) {
    super();
    this.#onValue = options.onValue;
  }

  /**
   * Takes a run of characters at once instead of stepping through the state machine per
   * character: whitespace where it is skipped, ordinary characters inside a name or string.
   * Returns where the run stops.
   */
  protected run(text: string, start: number): number {
    if (SKIPS_WHITESPACE[this.#state] === 1) return this.#skipWhitespace(text, start);
    if ((this.#state !== STRING && this.#state !== NAME) || this.#escape || this.#inHex) return start;
    let i = start;
    let columns = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (isStringStop(code)) break;
      if (code < 0xdc00 || code > 0xdfff) columns++;
    }
    if (i > start) {
      this.#text += text.slice(start, i);
      this.column += columns;
    }
    return i;
  }

  #skipWhitespace(text: string, start: number): number {
    let i = start;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a) {
        this.line++;
        this.column = 0;
      } else if (code === 0x20 || code === 0x09 || code === 0x0d) {
        this.column++;
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * Signals the end of input and returns the last complete top-level object (`undefined` for
   * input holding only whitespace).
   *
   * @throws {@link TupleError} when an object, array, string or value is not finished.
   */
  end(): Tuple | undefined {
    this.finishInput();
    if (this.#state === NUMBER && !this.#digits) this.#fail("no digits found");
    if (this.#state !== TOP) this.#fail("unexpected end of input");
    return this.#last;
  }

  #fail(message: string): never {
    this.#state = FAILED;
    return this.fail(message);
  }

  #unexpected(c: string): never {
    this.#fail(`unexpected character ${shown(c)}`);
  }

  /** A value is finished (`undefined`: a discarded one): store it, or report a top-level object. */
  #complete(value: Tuple | string | undefined): void {
    const parent = this.#open[this.#open.length - 1];
    if (parent === undefined) {
      this.#last = value as Tuple;
      this.#state = TOP;
      this.#onValue?.(value as Tuple);
    } else if (parent.array) {
      this.#state = ELEMENT_END;
    } else {
      if (value !== undefined) parent.tuple?.set(intern(parent.key), value);
      this.#state = MEMBER_END;
    }
  }

  #openObject(): void {
    const parent = this.#open[this.#open.length - 1];
    const keep = parent === undefined || parent.tuple !== null;
    this.#open.push({ array: false, tuple: keep ? new Tuple() : null, key: "" });
    this.#state = MEMBER_START;
  }

  #close(): void {
    const open = this.#open.pop()!;
    this.#complete(open.tuple ?? undefined);
  }

  #takeText(): string {
    const text = this.#text;
    this.#text = "";
    return text;
  }

  /** One character of a quoted name or string (other than a run of ordinary ones). */
  #stringChar(c: string): void {
    if (this.#inHex) {
      this.#hex += c;
      if (this.#hex.length < 4) return;
      if (!HEX.test(this.#hex)) this.#fail(`invalid \\u escape "\\u${this.#hex}"`);
      this.#text += String.fromCharCode(parseInt(this.#hex, 16));
      this.#inHex = false;
      this.#hex = "";
    } else if (this.#escape) {
      this.#escape = false;
      if (c === "u") this.#inHex = true;
      else this.#text += ESCAPES[c] ?? c;
    } else if (c === "\\") {
      this.#escape = true;
    } else if (c !== '"') {
      this.#text += c;
    } else if (this.#state === NAME) {
      if (this.#text === "") this.#fail("empty attribute name");
      this.#open[this.#open.length - 1]!.key = this.#takeText();
      this.#state = AFTER_NAME;
    } else {
      this.#complete(this.#takeText());
    }
  }

  /** One character of a number; Nanos's grammar (digits with at most one `.`) plus an exponent. */
  #numberChar(c: string): void {
    if (DIGITS.includes(c)) {
      this.#digits = true;
      this.#signAllowed = false;
    } else if (this.#signAllowed && (c === "+" || c === "-")) {
      this.#signAllowed = false;
    } else if (c === ".") {
      if (this.#fraction || this.#exponent) this.#fail("unexpected decimal point");
      this.#fraction = true;
      this.#digits = false;
    } else if (!this.#digits) {
      this.#fail("no digits found");
    } else if ((c === "e" || c === "E") && !this.#exponent) {
      this.#exponent = true;
      this.#signAllowed = true;
      this.#digits = false;
    } else {
      this.#complete(undefined);
      this.step(c);
    }
  }

  #startNumber(c: string): void {
    this.#state = NUMBER;
    this.#digits = this.#fraction = this.#exponent = this.#signAllowed = false;
    if (c !== "-") this.#numberChar(c);
  }

  protected step(c: string): void {
    switch (this.#state) {
      case TOP:
        if (WHITESPACE.has(c)) return;
        if (c !== "{") this.#unexpected(c);
        return this.#openObject();
      case MEMBER_START:
        if (WHITESPACE.has(c)) return;
        if (c === "}") return this.#close();
        if (c !== '"') this.#unexpected(c);
        this.#state = NAME;
        return;
      case MEMBER_END:
        if (WHITESPACE.has(c)) return;
        if (c === "}") return this.#close();
        if (c !== ",") this.#unexpected(c);
        this.#state = MEMBER_START;
        return;
      case NAME:
      case STRING:
        return this.#stringChar(c);
      case AFTER_NAME:
        if (WHITESPACE.has(c)) return;
        if (c !== ":") this.#unexpected(c);
        this.#state = VALUE;
        return;
      case VALUE:
        if (WHITESPACE.has(c)) return;
        if (DIGITS.includes(c) || c === "." || c === "-") return this.#startNumber(c);
        switch (c) {
          case '"':
            this.#state = STRING;
            return;
          case "{":
            return this.#openObject();
          case "[":
            this.#open.push({ array: true, tuple: null, key: "" });
            this.#state = ELEMENT_START;
            return;
          case "t":
          case "f":
          case "n":
            this.#literal = c === "t" ? "true" : c === "f" ? "false" : "null";
            this.#literalIndex = 1;
            this.#state = LITERAL;
            return;
        }
        return this.#unexpected(c);
      case NUMBER:
        return this.#numberChar(c);
      case LITERAL:
        if (c !== this.#literal[this.#literalIndex]) this.#unexpected(c);
        if (++this.#literalIndex === this.#literal.length) this.#complete(undefined);
        return;
      case ELEMENT_START:
        if (WHITESPACE.has(c)) return;
        if (c === "]") return this.#close();
        this.#state = VALUE;
        return this.step(c);
      case ELEMENT_END:
        if (WHITESPACE.has(c)) return;
        if (c === "]") return this.#close();
        if (c !== ",") this.#unexpected(c);
        this.#state = ELEMENT_START;
        return;
    }
  }
}

/**
 * Parses a whole JSON document (Nanos `json_parser`): the last top-level object, with string
 * and object members only.
 *
 * @throws {@link TupleError} on a syntax error (with line and column) or when the input holds
 *   no object at all.
 */
export function parseJson(text: string | Uint8Array): Tuple {
  const root = new JsonParser().feed(text).end();
  if (root === undefined) throw new TupleError("empty input: no JSON object found");
  return root;
}
