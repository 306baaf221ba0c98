import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPlain, type Plain } from "../test/plain.js";
import { JsonParser } from "./json-parser.js";
import { TupleError } from "./tuple-error.js";

type Json = fc.JsonValue;
type Outcome = { value: Plain } | { error: string };

/** What Nanos keeps of a JSON value: objects and strings; `undefined` for a discarded value. */
function model(value: Json): Plain | undefined {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const out: { [k: string]: Plain } = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = model(v!);
    if (kept !== undefined) Object.defineProperty(out, k, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Nanos refuses an empty member name anywhere, even in an object inside a discarded array. */
function hasEmptyName(value: Json): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(hasEmptyName);
  return Object.entries(value).some(([k, v]) => k === "" || hasEmptyName(v!));
}

/** Feeds `input` cut at `cuts` (positions, any order) and ends: the value or the error message. */
function outcome(input: string | Uint8Array, cuts: number[] = []): Outcome {
  const parser = new JsonParser();
  const points = [...new Set([0, ...cuts.map((c) => c % (input.length + 1)), input.length])].sort((a, b) => a - b);
  try {
    for (let i = 1; i < points.length; i++) parser.feed(input.slice(points[i - 1], points[i]));
    const root = parser.end();
    return { value: root === undefined ? null : toPlain(root) };
  } catch (e) {
    if (e instanceof TupleError) return { error: e.message };
    throw e;
  }
}

const topObject = (strings: "grapheme" | "binary") =>
  fc.dictionary(fc.string({ unit: strings, maxLength: 6 }), fc.jsonValue({ maxDepth: 4, stringUnit: strings }), { maxKeys: 6 });
const indent = fc.constantFrom<string | number>(0, 1, 2, "\t", "\r\n");
const cuts = fc.array(fc.nat(), { maxLength: 8 });

// Text that is JSON-like enough to reach every state: valid documents, their mutations, and
// runs of the characters the grammar cares about.
const jsonish = fc.oneof(
  topObject("grapheme").map((o) => JSON.stringify(o)),
  fc
    .tuple(topObject("grapheme"), fc.nat(), fc.nat(), fc.string({ maxLength: 3, unit: fc.constantFrom(..."{}[]\",:\\u0.e-+ tfn\n") }))
    .map(([o, at, drop, insert]) => {
      const text = JSON.stringify(o);
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + (drop % 3));
    }),
  fc.string({ maxLength: 60, unit: fc.constantFrom(..."{}[]\"\":,\\u0123456789abcdefEe.-+ \n\ttrueflsn\u0000é😀") }),
);

describe("JSON parser properties", () => {
  it("parses any JSON object to its objects and strings (or refuses an empty name)", () => {
    fc.assert(
      fc.property(topObject("grapheme"), indent, (doc, space) => {
        const text = JSON.stringify(doc, null, space);
        const result = outcome(text);
        if (hasEmptyName(doc)) expect("error" in result && result.error.startsWith("empty attribute name at line")).toBe(true);
        else expect(result).toEqual({ value: model(doc) });
      }),
      { numRuns: 500 },
    );
  });

  it("reads every string JSON.stringify writes, lone surrogates and control characters included", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.string({ unit: "binary", maxLength: 12 }), { maxKeys: 4 }), (doc) => {
        expect(outcome(JSON.stringify(doc))).toEqual({ value: model(doc) });
      }),
    );
  });

  it("gives the same result, value or error, however the text is cut into chunks", () => {
    fc.assert(
      fc.property(jsonish, cuts, (text, at) => {
        expect(outcome(text, at)).toEqual(outcome(text));
      }),
      { numRuns: 400 },
    );
  });

  it("gives the same result however the UTF-8 bytes are cut, even inside a character", () => {
    fc.assert(
      fc.property(jsonish, cuts, (text, at) => {
        const bytes = new TextEncoder().encode(text); // a lone surrogate becomes U+FFFD here
        expect(outcome(bytes, at)).toEqual(outcome(new TextDecoder().decode(bytes)));
      }),
      { numRuns: 200 },
    );
  });

  it("never throws anything but TupleError on random bytes or JSON-like text, and always ends", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), jsonish), cuts, (input, at) => {
        // outcome() rethrows anything that is not a TupleError; finishing at all is the no-hang proof.
        const result = outcome(input, at);
        if ("error" in result) expect(result.error).toMatch(/ at line \d+, column \d+$/);
      }),
      { numRuns: 500 },
    );
  });
});
