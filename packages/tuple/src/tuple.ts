import { findAttributeSymbol, toSymbol } from "./attribute.js";
import { ByteString } from "./byte-string.js";
import { parseDecimal } from "./decimal.js";
import { NULL_VALUE } from "./null-value.js";
import { printValue } from "./print-value.js";
import type { Sym } from "./symbol.js";
import { isComposite, normalizeInteger, S64_MIN, U64_MAX, type Attribute, type Value, type Vector } from "./value.js";

let entriesOf: (tuple: Tuple) => Map<Sym, Value>;

/** @internal The map behind a tuple, for the codec's hot paths (keys are already symbols). */
export function tupleEntries(tuple: Tuple): Map<Sym, Value> {
  return entriesOf(tuple);
}

/**
 * What {@link Tuple.from} accepts: plain objects become tuples, arrays become vectors, `null`
 * becomes {@link NULL_VALUE}, and values pass through.
 */
export type ValueInit = Value | null | undefined | { readonly [name: string]: ValueInit } | readonly ValueInit[];

/**
 * A Nanos tuple: a map from symbols to values. Attributes may be given as symbols, names or
 * non-negative integers (`t.get(1)` and `t.get("1")` are the same attribute). Setting an
 * attribute to `undefined` (absent) deletes it, as setting 0 does in Nanos. Iteration is in
 * insertion order (Nanos's is hash order, which is unspecified).
 */
export class Tuple implements Iterable<[Sym, Value]> {
  readonly #entries = new Map<Sym, Value>();

  static {
    entriesOf = (tuple) => tuple.#entries;
  }

  /**
   * Builds a tuple from a plain object literal.
   *
   * @example
   * ```ts
   * const root = Tuple.from({ program: "/bin/hello", arguments: ["hello", "world"], children: {} });
   * ```
   */
  static from(init: { readonly [name: string]: ValueInit }): Tuple {
    const tuple = new Tuple();
    for (const name of Object.keys(init)) tuple.set(name, fromInit(init[name]));
    return tuple;
  }

  /** The value of an attribute, or `undefined` when absent. */
  get(attribute: Attribute): Value | undefined {
    const key = findAttributeSymbol(attribute);
    return key === undefined ? undefined : this.#entries.get(key);
  }

  /** Sets an attribute; `undefined` deletes it. Returns the tuple. */
  set(attribute: Attribute, value: Value | undefined): this {
    if (value === undefined) this.delete(attribute);
    else this.#entries.set(toSymbol(attribute), value);
    return this;
  }

  /** Deletes an attribute; true when it was present. */
  delete(attribute: Attribute): boolean {
    const key = findAttributeSymbol(attribute);
    return key !== undefined && this.#entries.delete(key);
  }

  /** True when the attribute is present. */
  has(attribute: Attribute): boolean {
    const key = findAttributeSymbol(attribute);
    return key !== undefined && this.#entries.has(key);
  }

  /** Number of attributes (Nanos `tuple_count`). */
  get count(): number {
    return this.#entries.size;
  }

  /** Removes every attribute. */
  clear(): void {
    this.#entries.clear();
  }

  /** The attributes and their values. */
  entries(): IterableIterator<[Sym, Value]> {
    return this.#entries.entries();
  }

  /** The attribute symbols. */
  keys(): IterableIterator<Sym> {
    return this.#entries.keys();
  }

  /** The attribute values. */
  values(): IterableIterator<Value> {
    return this.#entries.values();
  }

  /** Same as {@link entries}. */
  [Symbol.iterator](): IterableIterator<[Sym, Value]> {
    return this.#entries.entries();
  }

  /** The attribute's value if it is a tuple, else `undefined` (Nanos `get_tuple`). */
  getTuple(attribute: Attribute): Tuple | undefined {
    const value = this.get(attribute);
    return value instanceof Tuple ? value : undefined;
  }

  /** The attribute's value if it is a vector, else `undefined` (Nanos `get_vector`). */
  getVector(attribute: Attribute): Vector | undefined {
    const value = this.get(attribute);
    return Array.isArray(value) ? value : undefined;
  }

  /** The attribute's value if it is a string, else `undefined` (Nanos `get_string`). */
  getString(attribute: Attribute): string | undefined {
    const value = this.get(attribute);
    return typeof value === "string" ? value : undefined;
  }

  /**
   * The attribute as an unsigned 64-bit integer: an integer value, or decimal text in a string or
   * untyped buffer (how version-4 logs and the `ops` tool store numbers). Nanos `get_u64`.
   */
  getU64(attribute: Attribute): bigint | undefined {
    const n = integerOf(this.get(attribute));
    return n !== undefined && n >= 0n && n <= U64_MAX ? n : undefined;
  }

  /** The attribute as a signed 64-bit integer (integer value or decimal text). Nanos `get_s64`. */
  getS64(attribute: Attribute): bigint | undefined {
    const n = integerOf(this.get(attribute));
    return n !== undefined && n >= S64_MIN && n < 1n << 63n ? n : undefined;
  }

  /** The attribute as a safe-integer `number` (integer value or decimal text), else `undefined`. */
  getNumber(attribute: Attribute): number | undefined {
    const n = integerOf(this.get(attribute));
    if (n === undefined) return undefined;
    const normal = normalizeInteger(n);
    return typeof normal === "number" ? normal : undefined;
  }

  /** The first attribute whose value is `value` (by identity), Nanos `tuple_get_symbol`. */
  symbolOf(value: Value): Sym | undefined {
    for (const [key, v] of this.#entries) if (v === value) return key;
    return undefined;
  }

  /** The tuple as Nanos prints it, on one line: `(a:1 b:(c:d))`. */
  toString(): string {
    return printValue(this);
  }

  /** How Node's `console.log` and `util.inspect` show a tuple: `Tuple (a:1 b:(c:d))`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Tuple ${printValue(this)}`;
  }

  /**
   * A deep copy: nested tuples and vectors are copied (sharing and cycles inside the copy mirror
   * the original), scalars are immutable and shared.
   */
  clone(): Tuple {
    return cloneValue(this) as Tuple;
  }
}

function integerOf(value: Value | undefined): bigint | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === "bigint") return value;
  if (typeof value === "string" || value instanceof ByteString) return parseDecimal(value.toString());
  return undefined;
}

function fromInit(init: ValueInit): Value | undefined {
  if (init === null) return NULL_VALUE;
  if (init === undefined || typeof init !== "object" || init instanceof Tuple || init instanceof ByteString || init === NULL_VALUE) {
    return init as Value | undefined;
  }
  if (Array.isArray(init)) return init.map(fromInit);
  return Tuple.from(init as { readonly [name: string]: ValueInit });
}

/**
 * A deep copy of a value: tuples and vectors are copied, keeping the copy's sharing and cycles
 * the same shape as the original's. Iterative, so any nesting depth is fine.
 */
export function cloneValue(value: Value): Value {
  if (!isComposite(value)) return value;
  const copies = new Map<Tuple | Vector, Tuple | Vector>();
  const pending: Array<Tuple | Vector> = [];
  const copyOf = (v: Value | undefined): Value | undefined => {
    if (!isComposite(v)) return v;
    let copy = copies.get(v);
    if (copy === undefined) {
      copy = v instanceof Tuple ? new Tuple() : new Array<Value | undefined>(v.length);
      copies.set(v, copy);
      pending.push(v);
    }
    return copy;
  };
  const root = copyOf(value)!;
  while (pending.length > 0) {
    const original = pending.pop()!;
    const copy = copies.get(original)!;
    if (original instanceof Tuple) {
      for (const [key, v] of original) (copy as Tuple).set(key, copyOf(v));
    } else {
      const target = copy as Vector;
      for (let i = 0; i < original.length; i++) target[i] = copyOf(original[i]);
    }
  }
  return root;
}
