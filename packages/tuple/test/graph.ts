// Test-only helpers: structural equality of value graphs (with sharing and cycles), and an
// arbitrary for such graphs.
import fc from "fast-check";
import { ByteString } from "../src/byte-string.js";
import { NULL_VALUE } from "../src/null-value.js";
import { Tuple } from "../src/tuple.js";
import { isComposite, U64_MAX, S64_MIN, type Value, type Vector } from "../src/value.js";

/**
 * Throws unless `a` and `b` have the same shape: same scalars, same attribute names, and the
 * same sharing (a bijection between their composites). Iterative.
 */
export function assertIsomorphic(a: Value | undefined, b: Value | undefined): void {
  const forward = new Map<object, object>();
  const backward = new Map<object, object>();
  const work: Array<[Value | undefined, Value | undefined, string]> = [[a, b, "$"]];
  while (work.length > 0) {
    const [x, y, path] = work.pop()!;
    if (!isComposite(x) || !isComposite(y)) {
      if (!sameScalar(x, y)) throw new Error(`${path}: ${describe(x)} != ${describe(y)}`);
      continue;
    }
    const mappedX = forward.get(x);
    const mappedY = backward.get(y);
    if (mappedX !== undefined || mappedY !== undefined) {
      if (mappedX !== y || mappedY !== x) throw new Error(`${path}: sharing differs`);
      continue;
    }
    forward.set(x, y);
    backward.set(y, x);
    if (x instanceof Tuple && y instanceof Tuple) {
      if (x.count !== y.count) throw new Error(`${path}: ${x.count} entries != ${y.count}`);
      for (const [key, v] of x) {
        if (!y.has(key)) throw new Error(`${path}: ${key.name} missing`);
        work.push([v, y.get(key), `${path}.${key.name}`]);
      }
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) throw new Error(`${path}: length ${x.length} != ${y.length}`);
      x.forEach((v, i) => work.push([v, (y as Vector)[i], `${path}[${i}]`]));
    } else {
      throw new Error(`${path}: tuple vs vector`);
    }
  }
}

function sameScalar(x: Value | undefined, y: Value | undefined): boolean {
  if (x instanceof ByteString && y instanceof ByteString) {
    return x.untyped === y.untyped && x.bytes.length === y.bytes.length && x.bytes.every((b, i) => b === y.bytes[i]);
  }
  if ((typeof x === "number" || typeof x === "bigint") && (typeof y === "number" || typeof y === "bigint")) return BigInt(x) === BigInt(y);
  return x === y;
}

function describe(v: Value | undefined): string {
  return typeof v === "bigint" ? `${v}n` : v instanceof ByteString ? `bytes[${v.bytes.join(",")}]` : String(v);
}

/** Integers across every encoding boundary, as number or bigint. */
export const integerArb: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, 127, 128, 2 ** 53 - 1, -(2 ** 53 - 1)),
  fc.bigInt({ min: S64_MIN, max: U64_MAX }),
  fc.constantFrom(1n << 61n, (1n << 61n) + 1n, -(1n << 61n), 1n << 63n, U64_MAX, S64_MIN, (1n << 63n) - 1n),
);

const nameArb = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("children", "0", "1", "héllo ✓", "a b"), fc.nat(99).map(String));

export const scalarArb: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  integerArb,
  fc.constant(NULL_VALUE),
  fc.uint8Array({ minLength: 2, maxLength: 8 }).map((b) => new ByteString(b, true)),
  fc.constant(new ByteString(new Uint8Array([0xff, 0xfe, 0x41]), false)),
);

type Shape = { kind: "tuple"; entries: Array<[string, Shape]> } | { kind: "vector"; items: Array<Shape | undefined> } | { kind: "scalar"; value: Value };

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarArb.map((value): Shape => ({ kind: "scalar", value })),
    fc.array(fc.tuple(nameArb, tie("shape")), { maxLength: 5 }).map((entries): Shape => ({ kind: "tuple", entries })),
    fc.array(fc.option(tie("shape"), { nil: undefined }), { maxLength: 4 }).map((items): Shape => ({ kind: "vector", items })),
  ),
})).shape;

function build(shape: Shape, composites: Array<Tuple | Vector>): Value {
  if (shape.kind === "scalar") return shape.value;
  if (shape.kind === "tuple") {
    const t = new Tuple();
    composites.push(t);
    for (const [name, s] of shape.entries) t.set(name, build(s, composites));
    return t;
  }
  const v: Vector = [];
  composites.push(v);
  for (const s of shape.items) v.push(s === undefined ? undefined : build(s, composites));
  return v;
}

/**
 * A root tuple holding a random tree, then rewired with random extra links between its
 * composites, which creates shared sub-values and cycles.
 */
export const graphArb: fc.Arbitrary<Tuple> = fc
  .tuple(fc.array(fc.tuple(nameArb, shapeArb), { maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.nat(), nameArb), { maxLength: 4 }))
  .map(([entries, links]) => {
    const root = new Tuple();
    const composites: Array<Tuple | Vector> = [root];
    for (const [name, s] of entries) root.set(name, build(s, composites));
    for (const [from, to, name] of links) {
      const source = composites[from % composites.length]!;
      const target = composites[to % composites.length]!;
      if (source instanceof Tuple) source.set(name, target);
      else if (source.length > 0) source[to % source.length] = target;
    }
    return root;
  });
