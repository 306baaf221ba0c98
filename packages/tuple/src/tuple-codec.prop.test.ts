import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertIsomorphic, graphArb, integerArb } from "../test/graph.js";
import { printValue } from "./print-value.js";
import { Tuple } from "./tuple.js";
import { TupleCodec } from "./tuple-codec.js";
import { TupleError } from "./tuple-error.js";

function onlyTupleErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TupleError)) throw e;
    expect(e.position.offset).toBeTypeOf("number");
  }
}

describe("TupleCodec properties", () => {
  it("decode(encode(v)) has the same shape, sharing and cycles, and both sides count the same total", () => {
    fc.assert(
      fc.property(graphArb, (root) => {
        const writer = new TupleCodec();
        const bytes = writer.encodeTuple(root);
        const reader = new TupleCodec();
        const { value, length } = reader.decode(bytes);
        expect(length).toBe(bytes.length);
        assertIsomorphic(root, value);
        expect(printValue(value)).toBe(printValue(root));
        // Decoding keeps entry order, so writing the copy again gives the same bytes.
        expect(new TupleCodec().encodeValue(value!)).toEqual(bytes);
        expect(reader.total).toBe(writer.total);
        expect(reader.dictionary.size).toBe(writer.dictionary.size);
        expect(reader.obsolete).toBe(0);
      }),
    );
  });

  it("a log of eav updates replays to the writer's in-memory tree", () => {
    const step = fc.tuple(fc.nat(), fc.constantFrom("a", "b", "c", "0", "1"), fc.oneof(fc.constant(undefined), fc.string({ maxLength: 3 }), fc.nat(), fc.constant("new tuple"), fc.nat()));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const writer = new TupleCodec();
        const root = Tuple.from({ children: {} });
        const log = [writer.encodeTuple(root)];
        const tuples: Tuple[] = [root, root.getTuple("children")!];
        for (const [pick, name, choice] of steps) {
          const entity = tuples[pick % tuples.length]!;
          const value = choice === "new tuple" ? new Tuple() : typeof choice === "number" && choice % 3 === 0 ? tuples[choice % tuples.length]! : choice;
          log.push(writer.encodeEav(entity, name, value));
          entity.set(name, value);
          if (value instanceof Tuple && !tuples.includes(value)) tuples.push(value);
        }
        const reader = new TupleCodec();
        for (const record of log) reader.decode(record);
        assertIsomorphic(root, reader.root);
        expect(reader.dictionary.size).toBe(writer.dictionary.size);
      }),
    );
  });

  it("integers round trip exactly at every boundary", () => {
    fc.assert(
      fc.property(integerArb, (n) => {
        const value = new TupleCodec().decode(new TupleCodec().encodeValue(n)).value;
        expect(BigInt(value as number | bigint)).toBe(BigInt(n));
        const safe = BigInt(n) >= -(2n ** 53n - 1n) && BigInt(n) <= 2n ** 53n - 1n;
        expect(typeof value).toBe(safe ? "number" : "bigint");
      }),
    );
  });

  it("random bytes never crash or hang the decoder: a value or a TupleError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(4 as const, 5 as const), (bytes, version) => {
        onlyTupleErrors(() => new TupleCodec().decode(bytes, 0, version));
      }),
      { numRuns: 2000 },
    );
  });

  it("corrupted records never crash the decoder, and a failed record changes nothing", () => {
    fc.assert(
      fc.property(graphArb, graphArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (base, root, edits, cut) => {
        const writer = new TupleCodec();
        const first = writer.encodeTuple(base);
        const bytes = writer.encodeEav(base, "x", root);
        for (const [at, b] of edits) bytes[at % bytes.length] = b;
        const codec = new TupleCodec();
        codec.decode(first);
        const state = () => [printValue(codec.root), codec.dictionary.size, codec.total, codec.obsolete];
        for (const end of [cut % (bytes.length + 1), bytes.length]) {
          const before = state();
          try {
            codec.decode(bytes, 0, 5, end);
          } catch (e) {
            if (!(e instanceof TupleError)) throw e;
            expect(state()).toEqual(before);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("every proper prefix of a record is rejected as truncated", () => {
    fc.assert(
      fc.property(graphArb, (root) => {
        const bytes = new TupleCodec().encodeTuple(root);
        for (let end = 0; end < bytes.length; end++) {
          expect(() => new TupleCodec().decode(bytes, 0, 5, end)).toThrow(/truncated/);
        }
      }),
      { numRuns: 50 },
    );
  });
});
