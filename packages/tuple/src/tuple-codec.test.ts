import { describe, expect, it } from "vitest";
import { errorOf } from "../test/errors.js";
import { ByteString } from "./byte-string.js";
import { NULL_VALUE } from "./null-value.js";
import { printValue } from "./print-value.js";
import { intern } from "./symbol.js";
import { Tuple } from "./tuple.js";
import { TupleCodec } from "./tuple-codec.js";
import { TupleError } from "./tuple-error.js";
import { S64_MIN, U64_MAX, type Value } from "./value.js";

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
const bytesOf = (text: string): Uint8Array => new Uint8Array(text.split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));
const ascii = (text: string): string => Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join(" ");

function decodeOne(bytes: Uint8Array, version: 4 | 5 = 5): Value | undefined {
  return new TupleCodec().decode(bytes, 0, version).value;
}


describe("TupleCodec encoding (TFS-FORMAT §5)", () => {
  it("writes the empty filesystem's root record byte for byte", () => {
    expect(hex(new TupleCodec().encodeTuple(Tuple.from({ children: {} })))).toBe(`91 88 08 ${ascii("children")} 90`);
  });

  it("writes the nested vector of the program fixture byte for byte", () => {
    const list = ["a", Tuple.from({ x: "y" }), ["n1", "n2"]];
    expect(hex(new TupleCodec().encodeValue(list))).toBe("a3 c1 61 91 81 78 c1 79 a2 c2 6e 31 c2 6e 32");
  });

  it("writes an empty string as C0, null as 81 00 and absent as 80", () => {
    expect(hex(new TupleCodec().encodeTuple(Tuple.from({ "EMPTY VAR": "" })))).toBe(`91 88 09 ${ascii("EMPTY VAR")} c0`);
    expect(hex(new TupleCodec().encodeValue(NULL_VALUE))).toBe("81 00");
    expect(hex(new TupleCodec().encodeEav(new Tuple(), "k", undefined))).toBe("91 81 6b 80");
  });

  it("writes integers as sign in the header plus a big-endian varint", () => {
    const enc = (n: number | bigint) => hex(new TupleCodec().encodeValue(n));
    expect(enc(3073)).toBe("b0 98 01");
    expect(enc(0)).toBe("b0 00");
    expect(enc(-3)).toBe("b1 03");
    expect(enc(U64_MAX)).toBe("b0 81 ff ff ff ff ff ff ff ff 7f");
    expect(enc(S64_MIN)).toBe("b1 81 80 80 80 80 80 80 80 80 00");
  });

  it("puts long lengths in continuation bytes as the C writer does", () => {
    const nameHeader = (length: number) => hex(new TupleCodec().encodeTuple(new Tuple().set("x".repeat(length), 0)).subarray(1, 4));
    expect(nameHeader(7).slice(0, 2)).toBe("87");
    expect(nameHeader(8).slice(0, 5)).toBe("88 08");
    expect(nameHeader(21).slice(0, 5)).toBe("88 15");
    expect(nameHeader(128).slice(0, 5)).toBe("89 00");
    expect(nameHeader(200).slice(0, 5)).toBe("89 48");
    expect(nameHeader(1000).slice(0, 5)).toBe("8f 68");
    expect(nameHeader(1024)).toBe("88 88 00");
    expect(nameHeader(16384)).toBe("89 80 00");
  });

  it("writes an unlink as the eav record of TFS-FORMAT §5.5 and counts it obsolete twice", () => {
    const codec = new TupleCodec();
    const root = Tuple.from({ children: { a: {}, "hello.txt": {} } });
    codec.encodeTuple(root);
    const children = root.getTuple("children")!;
    expect(hex(codec.encodeEav(children, "hello.txt", undefined))).toBe("11 03 06 80");
    expect(codec.obsolete).toBe(2);
    expect(children.has("hello.txt")).toBe(true); // the caller applies the change
  });

  it("restates a known tuple's entries when it is the value of an eav, as a rename does", () => {
    const codec = new TupleCodec();
    const root = Tuple.from({ children: { f: { filelength: 10 } } });
    codec.encodeTuple(root);
    const children = root.getTuple("children")!;
    expect(hex(codec.encodeEav(children, "g", children.get("f")!))).toBe("11 03 81 67 11 05 06 b0 0a");
    expect(codec.obsolete).toBe(0);
    expect(hex(codec.encodeEav(children, "f", 5))).toBe("11 03 04 b0 05");
    expect(codec.obsolete).toBe(1);
  });

  it("skips tuples that carry no_encode, and writes them as absent inside vectors", () => {
    const hidden = Tuple.from({ no_encode: null });
    const root = Tuple.from({ keep: "k", socket: hidden, list: [hidden, "x"] });
    const codec = new TupleCodec();
    const decoded = decodeOne(codec.encodeTuple(root)) as Tuple;
    expect(decoded.has("socket")).toBe(false);
    expect(decoded.getVector("list")).toEqual([undefined, "x"]);
    expect(codec.total).toBe(4);
  });

  it("refuses values it cannot write faithfully", () => {
    const codec = new TupleCodec();
    expect(() => codec.encodeValue(1.5)).toThrow(TupleError);
    expect(() => codec.encodeValue(U64_MAX + 1n)).toThrow(TupleError);
    expect(() => codec.encodeValue(S64_MIN - 1n)).toThrow(TupleError);
    expect(() => codec.encodeValue(new ByteString(new Uint8Array(0)))).toThrow(/absent/);
    expect(() => codec.encodeValue(new ByteString(new Uint8Array([0])))).toThrow(/null value/);
    expect(() => codec.encodeValue({} as Value)).toThrow(TupleError);
  });
});

describe("TupleCodec decoding", () => {
  it("reads the doc's values: integers, strings, null, absent, untyped buffers", () => {
    expect(decodeOne(bytesOf("b0 98 01"))).toBe(3073);
    expect(decodeOne(bytesOf("b1 03"))).toBe(-3);
    expect(decodeOne(bytesOf("c8 09 68 65 6c 6c 6f 2e 74 78 74"))).toBe("hello.txt");
    expect(decodeOne(bytesOf("c0"))).toBe("");
    expect(decodeOne(bytesOf("81 00"))).toBe(NULL_VALUE);
    expect(decodeOne(bytesOf("80"))).toBeUndefined();
    const untyped = decodeOne(bytesOf("82 31 30")) as ByteString;
    expect(untyped).toBeInstanceOf(ByteString);
    expect([untyped.untyped, untyped.toString()]).toEqual([true, "10"]);
  });

  it("keeps a string that is not UTF-8 as exact bytes, and writes it back as a string", () => {
    const value = decodeOne(bytesOf("c2 ff 41")) as ByteString;
    expect([value.untyped, Array.from(value.bytes)]).toEqual([false, [0xff, 0x41]]);
    expect(hex(new TupleCodec().encodeValue(value))).toBe("c2 ff 41");
  });

  it("reads symbol names that are not UTF-8 as distinct symbols with their exact bytes", () => {
    const t = decodeOne(bytesOf("92 81 ff c1 61 81 fe c1 62")) as Tuple;
    const [first, second] = [...t.keys()];
    expect(first).not.toBe(second);
    expect(Array.from(first!.bytes)).toEqual([0xff]);
    expect(hex(new TupleCodec().encodeTuple(t))).toBe("92 81 ff c1 61 81 fe c1 62");
  });

  it("reads version 4: 1-bit type, 5-bit length, untyped scalars", () => {
    // (children:() filelength:"10") in v4: C2 = immediate tuple, 2 entries.
    const t = decodeOne(bytesOf(`c2 88 ${ascii("children")} c0 8a ${ascii("filelength")} 82 31 30`), 4) as Tuple;
    expect(t.getTuple("children")?.count).toBe(0);
    expect(t.getNumber("filelength")).toBe(10);
    expect((t.get("filelength") as ByteString).untyped).toBe(true);
  });

  it("accepts non-minimal varints", () => {
    expect(decodeOne(bytesOf("b0 80 80 01"))).toBe(1);
  });

  it("applies eav records to tuples decoded earlier, with total and obsolete counts", () => {
    const codec = new TupleCodec();
    codec.decode(bytesOf(`91 81 61 b0 01`)); // #1 = (a:1), #2 = a
    codec.decode(bytesOf("11 01 02 b0 02")); // #1.a = 2: overwrite
    codec.decode(bytesOf("11 01 02 80")); // #1.a = absent: delete
    expect(codec.root!.count).toBe(0);
    expect([codec.total, codec.obsolete]).toEqual([3, 3]);
  });

  it("numbers the dictionary in byte-stream order, counting a duplicated immediate symbol", () => {
    // Nanos bug (TFS-FORMAT §5.2): after a log with a duplicate immediate symbol, the kernel's
    // next index is (distinct objects + 1), one too low. Ours follows the reader's count.
    const log = [bytesOf("91 81 61 90"), bytesOf("11 01 81 61 b0 01")];
    const writer = new TupleCodec();
    for (const record of log) writer.decode(record);
    expect(writer.dictionary.size).toBe(4);
    const root = writer.root!;
    const added = new Tuple();
    log.push(writer.encodeEav(root, "b", added)); // "b" is #5, the new tuple #6
    log.push(writer.encodeEav(added, "c", 7)); // refers to #6
    expect(hex(log[3]!)).toBe("11 06 81 63 b0 07");
    const reader = new TupleCodec();
    for (const record of log) reader.decode(record);
    expect(reader.root!.getTuple("b")!.get("c")).toBe(7);
  });

  it("reports the offset and names the problem for malformed input", () => {
    const cases: Array<[string, RegExp, number]> = [
      ["92 81 61 b0", /truncated input: integer missing at offset 4/, 4],
      ["11 05", /missing dictionary entry #5 at offset 0/, 0],
      ["91 81 61 91 01 80", /attribute name reference to dictionary entry #1, which is a tuple at offset 4/, 4],
      ["d0", /unknown value type 5 at offset 0/, 0],
      ["30 01", /integer reference/, 0],
      ["b1 81 80 80 80 80 80 80 80 80 01", /below -2\^63/, 0],
      ["b0 ff ff ff ff ff ff ff ff ff 7f", /does not fit in 64 bits/, 1],
      ["c8 ff ff ff ff ff ff ff ff 01", /value length is too large/, 1],
      ["c5 61 62", /string needs 5 bytes, 2 left/, 1],
    ];
    for (const [input, message, offset] of cases) {
      const error = errorOf(() => decodeOne(bytesOf(input)));
      expect(error.message).toMatch(message);
      expect(error.position.offset).toBe(offset);
    }
  });

  it("decodes a million nested vectors without recursion", () => {
    const depth = 1_000_000;
    const bytes = new Uint8Array(depth + 1).fill(0xa1);
    bytes[depth] = 0xb0 + 0; // innermost: ... then an integer
    const tail = new Uint8Array(depth + 2);
    tail.set(bytes);
    tail[depth + 1] = 0x2a;
    let value = decodeOne(tail);
    let levels = 0;
    while (Array.isArray(value)) {
      value = value[0];
      levels++;
    }
    expect([levels, value]).toEqual([depth, 42]);
  });

  it("rejects a record that claims more entries than its bytes hold", () => {
    expect(errorOf(() => decodeOne(bytesOf("98 ff ff ff 7f 81 61 c0"))).message).toMatch(/truncated input: attribute name missing at offset 8/);
  });

  it("leaves the codec exactly as it was when a record fails half-way", () => {
    const codec = new TupleCodec();
    codec.decode(bytesOf("92 81 61 b0 01 81 62 a1 c1 78")); // #1 = (a:1 b:[x]), a = #2, b = #3, vector #4
    const before = () => [printValue(codec.root), codec.dictionary.size, codec.total, codec.obsolete];
    const snapshot = before();
    // Sets a, deletes b, overwrites the vector's element, adds a symbol and a tuple, then runs out.
    const bad = bytesOf("13 01 02 b0 09 03 80 81 63 92 81 64 c0");
    expect(() => codec.decode(bad)).toThrow(/truncated/);
    expect(before()).toEqual(snapshot);
    codec.decode(bytesOf("21 04 c1 79")); // vector #4 [0] = "y"
    expect(printValue(codec.root)).toBe("(a:1 b:[y])");
    expect(() => codec.decode(bytesOf("22 04 c1 7a d0"))).toThrow(/unknown value type/);
    expect(printValue(codec.root)).toBe("(a:1 b:[y])");
    expect(() => codec.decode(bytesOf("23 04 c1 7a c1 77 c1"))).toThrow(/truncated/); // would grow it
    expect(codec.root!.getVector("b")).toEqual(["y"]);
    // Decoding goes on with the right numbering: #5 is the next index.
    codec.decode(bytesOf("11 01 81 63 90"));
    expect(codec.dictionary.size).toBe(6);
  });

  it("takes back the indexes of a record that cannot be encoded", () => {
    const codec = new TupleCodec();
    const bad = Tuple.from({ a: { b: 1.5 } });
    expect(() => codec.encodeTuple(bad)).toThrow(TupleError);
    expect([codec.dictionary.size, codec.total]).toEqual([0, 0]);
    const good = Tuple.from({ a: { b: 1 } });
    expect(codec.encodeTuple(good)).toEqual(new TupleCodec().encodeTuple(good));
    expect(() => codec.encodeEav(good, "c", [new Tuple(), 2.5])).toThrow(TupleError);
    expect([codec.dictionary.size, codec.total, codec.obsolete]).toEqual([4, 2, 0]);
  });

  it("stays inside the given end and offset", () => {
    const bytes = bytesOf("00 00 b0 05 b0 06");
    const codec = new TupleCodec();
    expect(codec.decode(bytes, 2, 5, 4)).toEqual({ value: 5, length: 2 });
    expect(() => codec.decode(bytes, 4, 5, 5)).toThrow(/truncated/);
    expect(() => codec.decode(bytes, 0, 6 as 5)).toThrow(/unsupported log version 6/);
  });

  it("interns attribute names so decoded tuples answer to names and numbers", () => {
    const t = decodeOne(bytesOf("91 81 31 c1 78")) as Tuple;
    expect(t.get(1)).toBe("x");
    expect([...t.keys()][0]).toBe(intern("1"));
  });
});
