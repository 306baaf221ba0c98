import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPlain, type Plain } from "../test/plain.js";
import { ManifestParser, parseManifest } from "./manifest-parser.js";
import { printValue } from "./print-value.js";
import { TupleError } from "./tuple-error.js";

// A model document and its rendering in the manifest grammar, with random layout.
type Doc = { t: "tuple"; entries: Array<[string, Doc]> } | { t: "vector"; items: Doc[] } | { t: "string"; s: string };

const bareName = fc.stringMatching(/^[a-z0-9._-][a-z0-9._#-]{0,5}$/);
const bareValue = fc.stringMatching(/^[a-zA-Z0-9._\/:|'-][a-zA-Z0-9._\/:|'"#-]{0,7}$/);
const anyText = fc.string({ maxLength: 8, unit: fc.constantFrom("a", " ", '"', "\\", "(", ")", "[", "]", ":", "#", "\n", "é", "✓") });

function docArb(bareOnly: boolean): fc.Arbitrary<Doc> {
  const str = bareOnly ? bareValue : fc.oneof(bareValue, anyText);
  return fc.letrec<{ doc: Doc }>((tie) => ({
    doc: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      str.map((s): Doc => ({ t: "string", s })),
      fc.array(fc.tuple(bareOnly ? bareName : fc.oneof(bareName, anyText), tie("doc")), { maxLength: 4 }).map((entries): Doc => ({ t: "tuple", entries })),
      fc.array(tie("doc"), { maxLength: 4 }).map((items): Doc => ({ t: "vector", items })),
    ),
  })).doc;
}

const rootArb = (bareOnly: boolean) => fc.array(fc.tuple(bareName, docArb(bareOnly)), { maxLength: 5 }).map((entries): Doc => ({ t: "tuple", entries }));

function model(doc: Doc): Plain {
  if (doc.t === "string") return doc.s;
  if (doc.t === "vector") return doc.items.map(model);
  const out: { [k: string]: Plain } = {};
  for (const [k, v] of doc.entries) Object.defineProperty(out, k, { value: model(v), enumerable: true, writable: true, configurable: true });
  return out;
}

const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const isBareName = (s: string) => /^[a-z0-9._-][a-z0-9._#-]*$/.test(s);
const isBareValue = (s: string) => /^[a-zA-Z0-9._\/:|'-][a-zA-Z0-9._\/:|'"#-]*$/.test(s);

/** Renders with layout chosen by `pick` (whitespace and comments where the grammar allows). */
function render(doc: Doc, pick: () => number): string {
  const gaps = [" ", "\n", "\t", "  ", " # note\n", "\r\n"];
  const gap = (optional: boolean) => (optional && pick() % 2 === 0 ? "" : gaps[pick() % gaps.length]!);
  if (doc.t === "string") return isBareValue(doc.s) ? doc.s : quote(doc.s);
  if (doc.t === "vector") return `[${gap(true)}${doc.items.map((d) => render(d, pick)).join(gap(false))}]`;
  const entries = doc.entries.map(([k, v]) => {
    const name = isBareName(k) ? k : quote(k);
    const before = v.t === "string" ? gap(true) : ""; // whitespace before `(`/`[` is an error
    return `${name}${gap(true)}:${before}${render(v, pick)}`;
  });
  return `(${gap(true)}${entries.join(gap(false))}${gap(true)})`;
}

const layoutArb = fc.infiniteStream(fc.nat(1000));

describe("manifest parser properties", () => {
  it("parses any rendering of a document to the document", () => {
    fc.assert(
      fc.property(rootArb(false), layoutArb, (doc, layout) => {
        const text = render(doc, () => layout.next().value as number);
        expect(toPlain(parseManifest(text))).toEqual(model(doc));
      }),
    );
  });

  it("feeding in arbitrary chunks gives the same result or the same error as one feed", () => {
    const inputArb = fc.oneof(
      fc.tuple(rootArb(false), layoutArb).map(([doc, layout]) => render(doc, () => layout.next().value as number)),
      fc.string({ maxLength: 30, unit: fc.constantFrom("(", ")", "[", "]", ":", " ", "a", '"', "\\", "#", "\n", "/") }),
    );
    fc.assert(
      fc.property(inputArb, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const outcome = (chunks: string[]) => {
          const parser = new ManifestParser({ topLevel: "value" });
          try {
            for (const chunk of chunks) parser.feed(chunk);
            return toPlain(parser.end());
          } catch (e) {
            if (!(e instanceof TupleError)) throw e;
            return `error: ${e.message}`;
          }
        };
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => text.slice(start, [...points, text.length][i]));
        expect(outcome(chunks)).toEqual(outcome([text]));
      }),
    );
  });

  it("printing is stable: print(parse(print(parse(s)))) = print(parse(s)) for values without spaces", () => {
    fc.assert(
      fc.property(rootArb(true), layoutArb, (doc, layout) => {
        const once = printValue(parseManifest(render(doc, () => layout.next().value as number)));
        expect(printValue(parseManifest(once))).toBe(once);
      }),
    );
  });

  it("hostile text never crashes or hangs: a value or a TupleError with a position", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: fc.constantFrom("(", ")", "[", "]", ":", " ", "x", '"', "\\", "#", "\n", "|", "é") }), (text) => {
        for (const topLevel of ["tuple", "value"] as const) {
          try {
            new ManifestParser({ topLevel }).feed(text).end();
          } catch (e) {
            if (!(e instanceof TupleError)) throw e;
            expect(e.position.line).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
