import { describe, expect, it } from "vitest";
import { errorOf } from "../test/errors.js";
import { fixtureText } from "../test/fixture-log.js";
import { toPlain } from "../test/plain.js";
import { ManifestParser, parseManifest, parseValueText } from "./manifest-parser.js";
import { printValue } from "./print-value.js";
import { Tuple } from "./tuple.js";
import { TupleError } from "./tuple-error.js";

const value = (text: string) => toPlain(parseValueText(text));
const manifest = (text: string) => toPlain(parseManifest(text));


describe("value parser (parser_test.c cases)", () => {
  it.each<[string, unknown]>([
    ["", null],
    ["()", {}],
    [" ( ) ", {}],
    ["[]", []],
    [" [ ] ", []],
    ["#[]", null],
    ["#[]\n()", {}],
    ["(key:value)", { key: "value" }],
    [" ( key : value ) ", { key: "value" }],
    ["[val1]", ["val1"]],
    ["(key1:value1 key2:value2)", { key1: "value1", key2: "value2" }],
    ["[val1 val2]", ["val1", "val2"]],
    ["[val ]", ["val", ""]],
    ["(key:(key2:value2))", { key: { key2: "value2" } }],
    ["[(key2:value2)]", [{ key2: "value2" }]],
    ["(key:[value2])", { key: ["value2"] }],
    ["[[value2]]", [["value2"]]],
    ['(key:"value")', { key: "value" }],
    ['("key":value)', { key: "value" }],
    ['("key":"value")', { key: "value" }],
    ['( "key" : "value" )', { key: "value" }],
    ['(key:"hello value")', { key: "hello value" }],
    ['("hello key":value)', { "hello key": "value" }],
    ['("hello key":"hello value")', { "hello key": "hello value" }],
    ['["value"]', ["value"]],
    ['["hello value"]', ["hello value"]],
    ['["hello \\"value\\""]', ['hello "value"']],
  ])("%j", (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it('reports "(key:value()" as unknown property discriminator 40, with its position', () => {
    const error = errorOf(() => parseValueText("(key:value()"));
    expect(error.message).toBe("unknown property discriminator 40 at line 1, column 11");
    expect(error.position).toEqual({ line: 1, column: 11 });
  });

  it("reports a character outside the BMP by its code point, as Nanos does", () => {
    expect(errorOf(() => parseValueText('("k"😀)')).message).toBe("unknown property discriminator 128512 at line 1, column 5");
    expect(errorOf(() => new ManifestParser().feed('("k"\ud83d').feed("\ude00)")).message).toBe("unknown property discriminator 128512 at line 1, column 5");
  });

  it("rejects a lone closing bracket instead of looping (the cases Nanos disables because they crash)", () => {
    expect(errorOf(() => parseValueText(")")).message).toMatch(/^unexpected '\)' outside any tuple or vector/);
    expect(errorOf(() => parseValueText("]")).message).toMatch(/^unexpected '\]' outside any tuple or vector/);
  });
});

describe("manifest grammar (TFS-FORMAT §12)", () => {
  it("keeps `:`, `/`, `|`, `'` and `#` inside bare values", () => {
    expect(manifest("(PATH:/bin:/usr/bin k:x:y p:a|b q:it's h:va#lue)")).toEqual({ PATH: "/bin:/usr/bin", k: "x:y", p: "a|b", q: "it's", h: "va#lue" });
  });

  it("needs no separator between entries, and reads empty values as empty strings", () => {
    expect(manifest('(a:b c:d)')).toEqual({ a: "b", c: "d" });
    expect(manifest('(x:()k:v)')).toEqual({ x: {}, k: "v" });
    expect(manifest('(k:"" e:x)')).toEqual({ k: "", e: "x" });
    expect(manifest('(k: e:"")')).toEqual({ k: 'e:""' }); // whitespace after ':' is skipped; quotes inside a bare value are literal
    expect(manifest("(k:)")).toEqual({ k: "" });
  });

  it("takes backslash literally outside quotes and as an escape inside", () => {
    expect(manifest('(a:back\\\\slash b:"q\\"x" c:"\\n\\\\")')).toEqual({ a: "back\\\\slash", b: 'q"x', c: "n\\" });
  });

  it("skips comments only where whitespace may be skipped", () => {
    expect(manifest("# head\n( # after paren\n a # before colon\n : # after colon\n b # after value\n c:[x # in vector\n])")).toEqual({ a: "b", c: ["x", ""] });
  });

  it("lets the last of several top-level tuples win, reporting each", () => {
    const seen: unknown[] = [];
    const parser = new ManifestParser({ onValue: (v) => seen.push(toPlain(v)) });
    expect(toPlain(parser.feed("(a:1) (b:2)").end())).toEqual({ b: "2" });
    expect(seen).toEqual([{ a: "1" }, { b: "2" }]);
  });

  it("gives the Nanos error texts with line and column", () => {
    expect(errorOf(() => parseManifest("x")).message).toBe("parse_tuple fail, leading char 'x' at line 1, column 1");
    expect(errorOf(() => parseManifest("(a/b:x)")).message).toBe("unknown property discriminator 47 at line 1, column 3");
    expect(errorOf(() => parseManifest("(a|b:x)")).message).toBe("unknown property discriminator 124 at line 1, column 3");
    expect(errorOf(() => parseManifest("(\n  k:v(x:y))")).message).toBe("unknown property discriminator 40 at line 2, column 6");
    expect(errorOf(() => parseManifest("(k: (x:y))")).message).toBe("unknown property discriminator 40 at line 1, column 5");
    expect(errorOf(() => parseManifest("(a b:c)")).message).toBe("unknown property discriminator 98 at line 1, column 4");
  });

  it("names what is still open at the end of input", () => {
    expect(errorOf(() => parseManifest("(a:(b:c)\n")).message).toBe("unexpected end of input: tuple opened at line 1, column 1 is not closed at line 2, column 0");
    expect(errorOf(() => parseManifest('(a:"b')).message).toMatch(/^unexpected end of input: tuple opened at line 1, column 1/);
    expect(errorOf(() => parseValueText('"abc')).message).toMatch(/^unexpected end of input inside a quoted string/);
    expect(() => parseManifest("  # nothing\n")).toThrow(/empty manifest/);
  });

  it("refuses input after an error", () => {
    const parser = new ManifestParser();
    expect(() => parser.feed("(a/")).toThrow(TupleError);
    expect(() => parser.feed("b)")).toThrow(/discriminator 47/);
  });

  it("ends a top-level bare word at end of input in value mode", () => {
    expect(value("  word ")).toBe("word");
    expect(value("word")).toBe("word");
  });

  it("decodes UTF-8 bytes split across chunks", () => {
    const bytes = new TextEncoder().encode('(k:"héllo ✓")');
    const parser = new ManifestParser();
    for (const b of bytes) parser.feed(new Uint8Array([b]));
    expect(toPlain(parser.end())).toEqual({ k: "héllo ✓" });
  });

  it("parses 100000 nested tuples and vectors without recursion", () => {
    const depth = 100_000;
    const root = parseManifest("(a:".repeat(depth) + "[x]" + ")".repeat(depth));
    let t: unknown = root;
    let levels = 0;
    while (t instanceof Tuple) {
      t = t.get("a");
      levels++;
    }
    expect([levels, t]).toEqual([depth, ["x"]]);
  });
});

describe("fixture manifests", () => {
  it("program: arguments, environment and nested values match what mkfs stored", () => {
    const root = parseManifest(fixtureText("program", "manifest.txt"));
    const meta = JSON.parse(fixtureText("program", "meta.json")) as { root: Record<string, unknown> };
    const plain = toPlain(root) as Record<string, unknown>;
    for (const key of ["arguments", "environment", "nested", "program", "debugsyscalls"]) expect(plain[key]).toEqual(meta.root[key]);
    expect(plain.imagesize).toBe("2M");
  });

  it("small: the tree's names, including quoted UTF-8 ones, match the image", () => {
    const root = parseManifest(fixtureText("small", "manifest.txt"));
    const meta = JSON.parse(fixtureText("small", "meta.json")) as { root: { children: Record<string, unknown> } };
    expect([...root.getTuple("children")!.keys()].map(String).sort()).toEqual(Object.keys(meta.root.children).sort());
    expect(printValue(root.getTuple("children")!.getTuple("héllo wörld ✓.txt"))).toBe("(contents:(host:src/héllo wörld ✓.txt))");
  });

  it("many: a 1 MB manifest with 2200 files", () => {
    const root = parseManifest(fixtureText("many", "manifest.txt"));
    const dirs = root.getTuple("children")!;
    let files = 0;
    for (const [, dir] of dirs) files += (dir as Tuple).getTuple("children")!.count;
    expect([dirs.count, files]).toEqual([4, 2200]);
  });
});

describe("hostile input that hangs Nanos", () => {
  it("rejects ')' where a vector element should start (Nanos loops reading empty strings)", () => {
    for (const text of ["[)", "[a )", "[ )", "[a)"]) {
      expect(errorOf(() => parseValueText(text)).message).toMatch(/^unexpected '\)' in a vector at line 1/);
    }
  });
});

describe("positions", () => {
  it("counts columns in characters (a surrogate pair is one) and lines at LF, CRLF included", () => {
    expect(errorOf(() => parseManifest("(é✓😀:x y/z)")).message).toBe("unknown property discriminator 47 at line 1, column 9");
    expect(errorOf(() => parseManifest("(a:b\r\n\tc:d\r\n e/f)")).message).toBe("unknown property discriminator 47 at line 3, column 3");
  });

  it("reports every top-level value of a value-mode stream", () => {
    const seen: unknown[] = [];
    const parser = new ManifestParser({ topLevel: "value", onValue: (v) => seen.push(toPlain(v)) });
    parser.feed("[a] (b:c) word \"quoted\" ");
    expect(toPlain(parser.end())).toBe("quoted");
    expect(seen).toEqual([["a"], { b: "c" }, "word", "quoted"]);
  });
});
