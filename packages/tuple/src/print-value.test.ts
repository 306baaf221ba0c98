import { describe, expect, it } from "vitest";
import { ByteString } from "./byte-string.js";
import { NULL_VALUE } from "./null-value.js";
import { MAX_PRINTED_LENGTH, printValue } from "./print-value.js";
import { Tuple } from "./tuple.js";
import { TupleCodec } from "./tuple-codec.js";
import { S64_MIN, U64_MAX, type Value } from "./value.js";

const roundTrip = (v: Value): Value => new TupleCodec().decode(new TupleCodec().encodeValue(v)).value!;

describe("printValue", () => {
  it("prints the tuple_test forms after an encode/decode round trip", () => {
    expect(printValue(roundTrip(new Tuple().set(1, 200)))).toBe("(1:200)");
    expect(printValue(roundTrip(new Tuple().set(1, -3)))).toBe("(1:-3)");
    expect(printValue(roundTrip(new Tuple().set(1, S64_MIN)))).toBe("(1:-9223372036854775808)");
    expect(printValue(roundTrip(new Tuple().set(1, U64_MAX)))).toBe("(1:18446744073709551615)");
  });

  it("prints a shared sub-tuple once and a self-reference as <visited>", () => {
    const shared = Tuple.from({ x: "y" });
    expect(printValue(roundTrip(new Tuple().set(1, shared).set(2, shared)))).toBe("(1:(x:y) 2:<visited>)");
    const self = new Tuple();
    self.set(1, self);
    expect(printValue(roundTrip(self))).toBe("(1:<visited>)");
  });

  it("sorts keys by their UTF-8 bytes, shorter prefix first", () => {
    expect(printValue(Tuple.from({ z: "1", é: "2", ab: "3", a: "4", B: "5" }))).toBe("(B:5 a:4 ab:3 z:1 é:2)");
  });

  it("prints scalars raw, null, binary untyped buffers and holes", () => {
    const t = Tuple.from({
      s: "two words",
      n: null,
      text: new ByteString(new TextEncoder().encode("plain"), true),
      bin: new ByteString(new Uint8Array([1, 2, 3]), true),
      utf8: new ByteString(new TextEncoder().encode("é"), true),
      v: ["a", undefined, "b"],
    });
    expect(printValue(t)).toBe("(bin:{binary, length 3} n:<null> s:two words text:plain utf8:{binary, length 2} v:[a (none) b])");
    expect(printValue(NULL_VALUE)).toBe("<null>");
    expect(printValue(undefined)).toBe("(none)");
  });

  it("prunes composites nested deeper than depth", () => {
    const t = Tuple.from({ a: { b: { c: "d" } }, e: "f" });
    expect(printValue(t, { depth: 1 })).toBe("(a:<pruned> e:f)");
    expect(printValue(t, { depth: 2 })).toBe("(a:(b:<pruned>) e:f)");
    expect(printValue(t, { depth: 0 })).toBe("(a:(b:(c:d)) e:f)");
  });

  it("indents entries under the first and nested values after their key", () => {
    const t = Tuple.from({ arguments: ["x", "y"], env: { A: "1", B: "2" } });
    expect(printValue(t, { indent: 0 })).toBe("(arguments:[x\n            y]\n env:(A:1\n      B:2))");
    expect(printValue(t, { indent: 2 })).toBe("(arguments:[x\n              y]\n   env:(A:1\n        B:2))");
  });

  it("prints 200000 nested tuples without recursion", () => {
    let t = new Tuple();
    const root = t;
    for (let i = 0; i < 200_000; i++) {
      const next = new Tuple();
      t.set("a", next);
      t = next;
    }
    const text = printValue(root);
    expect(text.length).toBe(200_000 * "(a:)".length + "()".length);
  });
});

describe("printValue limits", () => {
  it("refuses, with a TupleError, text beyond MAX_PRINTED_LENGTH instead of hitting the JS string limit", () => {
    let t = new Tuple();
    const root = t;
    for (let i = 0; i < 30_000; i++) {
      const next = new Tuple();
      t.set("abcdefghij", next).set("z", "1");
      t = next;
    }
    expect(() => printValue(root, { indent: 0 })).toThrow(/printed form exceeds 67108864 characters/);
    expect(printValue(root).length).toBeLessThan(MAX_PRINTED_LENGTH);
  });
});
