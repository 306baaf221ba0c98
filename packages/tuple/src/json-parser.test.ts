import { describe, expect, it } from "vitest";
import { errorOf } from "../test/errors.js";
import { toPlain } from "../test/plain.js";
import { JsonParser, parseJson } from "./json-parser.js";
import { Tuple } from "./tuple.js";
import { TupleError } from "./tuple-error.js";

const json = (text: string) => toPlain(parseJson(text));
const failure = (text: string) => errorOf(() => parseJson(text));

describe("JSON parser (parser_test.c JSON_PARSE_TEST cases)", () => {
  it("json_whitespace_test: whitespace around every token, kept inside strings", () => {
    const root = parseJson(' {\n"\ra\t" :\n"\rb\t" ,\n"c":{\r"d":"e"\t} }\n');
    expect(root.count).toBe(2);
    expect(root.getString("\ra\t")).toBe("\rb\t");
    const c = root.getTuple("c")!;
    expect(c.count).toBe(1);
    expect(c.getString("d")).toBe("e");
  });

  it("json_longstring_test", () => {
    expect(json('{"abcdefghijklmnopqrstuvwxyz0123456789":"0123456789abcdefghijklmnopqrstuvwxyz"}')).toEqual({
      abcdefghijklmnopqrstuvwxyz0123456789: "0123456789abcdefghijklmnopqrstuvwxyz",
    });
  });

  it("json_nested_test: seven nested objects", () => {
    let t: Tuple | undefined = parseJson('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{}}}}}}}}\n');
    for (const name of "abcdefg") {
      expect(t?.count).toBe(1);
      t = t!.getTuple(name);
    }
    expect(t).toBeInstanceOf(Tuple);
    expect(t!.count).toBe(0);
  });

  // Numbers, booleans, null and arrays are discarded: the attribute is absent.
  it.each([
    ["json_empty_obj_test", "{}"],
    ["json_numbervalue_test", '{"a":1}'],
    ["json_numbervalue_test1", '{"a":1.2}'],
    ["json_numbervalue_test2", '{"a":-2.3}'],
    ["json_booleanvalue_test", '{"a":true}'],
    ["json_booleanvalue_test1", '{"a":false}'],
    ["json_booleanvalue_test2", '{"a":[true,false]}'],
    ["json_nullvalue_test", '{"a":null}'],
    ["json_empty_array_test", '{"a":[]}'],
    ["json_array_test", '{"a":["b",{"c":{}},0]}'],
  ])("%s: %s is an empty tuple", (_name, text) => {
    const root = parseJson(text);
    expect(root).toBeInstanceOf(Tuple);
    expect(root.count).toBe(0);
  });

  // Upstream asserts the message of the end-of-input, no-digits and first-character cases and
  // only "an error" for the rest; the messages below are what Nanos's json.c reports for them.
  it.each([
    ["json_invalid_objstart_test", "a", "unexpected character a", 1],
    ["json_incomplete_obj_test", "{", "unexpected end of input", 1],
    ["json_incomplete_name_test", '{"', "unexpected end of input", 2],
    ["json_incomplete_name_test1", '{"a', "unexpected end of input", 3],
    ["json_missing_value_test", '{"a":', "unexpected end of input", 5],
    ["json_invalid_separator_test", '{"a";{}}', "unexpected character ;", 5],
    ["json_invalid_separator_test1", '{"a":{};"b":{}}', "unexpected character ;", 8],
    ["json_incomplete_stringvalue_test", '{"a":"', "unexpected end of input", 6],
    ["json_incomplete_stringvalue_test1", '{"a":"b', "unexpected end of input", 7],
    ["json_incomplete_numbervalue_test", '{"a":-', "no digits found", 6],
    ["json_incomplete_numbervalue_test1", '{"a":0.', "no digits found", 7],
    ["json_invalid_numbervalue_test", '{"a":0..}', "unexpected decimal point", 8],
    ["json_invalid_booleanvalue_test", '{"a":truu}', "unexpected character u", 9],
    ["json_incomplete_array_test", '{"a":[', "unexpected end of input", 6],
    ["json_invalid_array_test", '{"a":[{}b]}', "unexpected character b", 9],
    ["json_invalid_arrayelem_test", '{"a":[b]}', "unexpected character b", 7],
    ["json_incomplete_objvalue_test", '{"a":{', "unexpected end of input", 6],
    ["json_invalid_name_test", "{a:{}}", "unexpected character a", 2],
    ["json_empty_name_test", '{"":{}}', "empty attribute name", 3],
    ["json_invalid_value_test", '{"a":}}', "unexpected character }", 6],
    ["json_invalid_last_attr_test", '{"a":{"b":"c"},"d":"e","f"}', "unexpected character }", 27],
    ["json_invalid_last_separator_test", '{"a":{"b":"c"},"d":"e"-"f":{}}', "unexpected character -", 23],
  ])("%s: %j fails with %j", (_name, text, message, column) => {
    const error = failure(text);
    expect(error.message).toBe(`${message} at line 1, column ${column}`);
    expect(error.position).toEqual({ line: 1, column });
  });
});

describe("JSON grammar as Nanos reads it", () => {
  it("keeps only objects and strings, also from objects inside arrays", () => {
    expect(json('{"a":[{"b":"c"}],"d":"e","n":{"x":1,"y":"z","l":[[],[[{}]]]}}')).toEqual({ d: "e", n: { y: "z" } });
  });

  it("lets a later string replace an earlier one, but not a later discarded value", () => {
    expect(json('{"a":"x","a":"y"}')).toEqual({ a: "y" });
    expect(json('{"a":"x","a":1,"a":null,"a":[]}')).toEqual({ a: "x" });
    expect(json('{"a":{"b":"c"},"a":"s"}')).toEqual({ a: "s" });
  });

  it("keeps Nanos's leniencies: trailing commas, loose numbers, unknown escapes, raw control characters", () => {
    expect(json('{"a":"b",}')).toEqual({ a: "b" });
    expect(json('{"a":[1,],"b":"c"}')).toEqual({ b: "c" });
    expect(json('{"a":007,"b":.5,"c":-.5,"d":"e"}')).toEqual({ d: "e" });
    expect(json('{"k":"\\x\\/\\\\\\""}')).toEqual({ k: 'x/\\"' });
    expect(json('{"k":"\\n\\t\\r\\b\\f"}')).toEqual({ k: "\n\t\r\b\f" });
    expect(json('{"k":"a\u0001\nb"}')).toEqual({ k: "a\u0001\nb" });
  });

  it("rejects what Nanos rejects in numbers and literals", () => {
    expect(failure('{"a":-}').message).toBe("no digits found at line 1, column 7");
    expect(failure('{"a":.}').message).toBe("no digits found at line 1, column 7");
    expect(failure('{"a":1.2.3}').message).toBe("unexpected decimal point at line 1, column 9");
    expect(failure('{"a":1 2}').message).toBe("unexpected character 2 at line 1, column 8");
    expect(failure('{"a":nul}').message).toBe("unexpected character } at line 1, column 9");
    expect(failure('{"a":fals"}').message).toBe("unexpected character \" at line 1, column 10");
    expect(failure('{"a":x}').message).toBe("unexpected character x at line 1, column 6");
  });

  it("reports each top-level object and returns the last one", () => {
    const seen: unknown[] = [];
    const parser = new JsonParser({ onValue: (v) => seen.push(toPlain(v)) });
    expect(toPlain(parser.feed('{"a":"1"}\n {"b":"2"}').end()!)).toEqual({ b: "2" });
    expect(seen).toEqual([{ a: "1" }, { b: "2" }]);
  });

  it("returns nothing for empty input; parseJson calls that an error", () => {
    expect(new JsonParser().feed(" \n\t").end()).toBeUndefined();
    expect(failure("").message).toBe("empty input: no JSON object found");
  });

  it("counts lines and columns across strings holding newlines, by characters not UTF-16 units", () => {
    const error = failure('{\n  "a": "two\nlines",\n  "😀é": x}');
    expect(error.message).toBe("unexpected character x at line 4, column 9");
    expect(error.position).toEqual({ line: 4, column: 9 });
  });

  it("keeps empty strings", () => {
    expect(json('{"a":"","b":{"c":""}}')).toEqual({ a: "", b: { c: "" } });
  });

  it("names a character outside the BMP whole, even when its surrogates arrive in two chunks", () => {
    expect(failure("😀").message).toBe("unexpected character 😀 at line 1, column 1");
    const parser = new JsonParser().feed('{"a":\ud83d');
    expect(errorOf(() => parser.feed("\ude00}")).message).toBe("unexpected character 😀 at line 1, column 6");
    expect(errorOf(() => new JsonParser().feed('{"a":"b"}\ud83d').end()).message).toBe("unexpected character U+D83D at line 1, column 10");
  });

  it("shows invisible characters by code point", () => {
    expect(failure("\u0000").message).toBe("unexpected character U+0000 at line 1, column 1");
    expect(failure('{"a":"b"\u0001}').message).toBe("unexpected character U+0001 at line 1, column 9");
  });

  it("refuses further input after an error (Nanos resynchronises at top level)", () => {
    const parser = new JsonParser();
    const first = errorOf(() => parser.feed('{"a";{}}'));
    expect(errorOf(() => parser.feed("{}"))).toBe(first);
    expect(errorOf(() => parser.end())).toBe(first);
  });

  it("decodes UTF-8 bytes split anywhere, and names and values with any characters", () => {
    const bytes = new TextEncoder().encode('{"név":"✓ 😀","k":{"ü":""}}');
    const parser = new JsonParser();
    for (const b of bytes) parser.feed(Uint8Array.of(b));
    expect(toPlain(parser.end()!)).toEqual({ név: "✓ 😀", k: { ü: "" } });
  });
});

describe("where we differ from Nanos (bug fixes)", () => {
  it("allows whitespace inside arrays (Nanos rejects `[ ]`, `[1 ]` and `[1 , 2]`)", () => {
    expect(json('{"a":[ ],"b":[1 ],"c":[1 , 2 ],"d":"e"}')).toEqual({ d: "e" });
    const pretty = JSON.stringify({ list: [1, "two", { three: "3" }, [true, null]], name: "x" }, null, 2);
    expect(json(pretty)).toEqual({ name: "x" });
  });

  it("reads \\uXXXX escapes, surrogate pairs included (Nanos keeps a bare `u`)", () => {
    expect(json('{"\\u006b":"\\u0041\\u00e9\\ud83d\\ude00\\u0022"}')).toEqual({ k: 'Aé😀"' });
    expect(failure('{"a":"\\u12G4"}').message).toBe('invalid \\u escape "\\u12G4" at line 1, column 12');
    expect(failure('{"a":"\\u12"}').message).toBe('invalid \\u escape "\\u12"}" at line 1, column 12');
  });

  it("accepts exponents (Nanos stops the number at `e` and rejects the member)", () => {
    expect(json('{"a":1e5,"b":-2.5E-3,"c":3e+2,"d":"e"}')).toEqual({ d: "e" });
    expect(failure('{"a":1e}').message).toBe("no digits found at line 1, column 8");
    expect(failure('{"a":1e+}').message).toBe("no digits found at line 1, column 9");
    expect(failure('{"a":1e5.0}').message).toBe("unexpected decimal point at line 1, column 9");
    expect(failure('{"a":1e5e5}').message).toBe("unexpected character e at line 1, column 9");
  });

  it("reports the end of input inside true/false/null as such (Nanos prints an invalid character)", () => {
    expect(failure('{"a":tr').message).toBe("unexpected end of input at line 1, column 7");
  });

  it("nests a million arrays and objects without recursion", () => {
    const n = 1_000_000;
    expect(json(`{"a":${"[".repeat(n)}${"]".repeat(n)},"b":"c"}`)).toEqual({ b: "c" });
    let t: Tuple | undefined = parseJson(`${'{"a":'.repeat(n)}{}${"}".repeat(n)}`);
    let depth = 0;
    while (t !== undefined && t.count === 1) {
      t = t.getTuple("a");
      depth++;
    }
    expect(depth).toBe(n);
    expect(failure(`{"a":${"[".repeat(n)}`)).toBeInstanceOf(TupleError);
  });
});

describe("README example", () => {
  it("keeps strings and objects, reports each top-level object, accepts bytes and text chunks", () => {
    const root = parseJson('{"compute":{"vmId":"3f2a","tags":["x"],"cores":2,"spot":false}}');
    expect(root.getTuple("compute")!.getString("vmId")).toBe("3f2a");
    expect(root.getTuple("compute")!.has("cores")).toBe(false);
    const counts: number[] = [];
    const parser = new JsonParser({ onValue: (t) => counts.push(t.count) });
    parser.feed(new TextEncoder().encode('{"a":"b",')).feed('"c":{}}');
    expect(toPlain(parser.end()!)).toEqual({ a: "b", c: {} });
    expect(counts).toEqual([2]);
  });

  it("JsonParser's TSDoc example", () => {
    const parser = new JsonParser();
    parser.feed('{"compute":{"vmId":"3f2').feed('a","tags":[1,2]}}');
    expect(toPlain(parser.end()!)).toEqual({ compute: { vmId: "3f2a" } });
  });
});
