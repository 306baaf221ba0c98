import type { ByteString } from "./byte-string.js";
import type { NullValue } from "./null-value.js";
import type { Sym } from "./symbol.js";
import { Tuple } from "./tuple.js";

/**
 * An integer value. Integers are `number` when they are safe integers (|n| < 2^53) and `bigint`
 * otherwise; both kinds are accepted everywhere, in the range −2^63 … 2^64−1.
 */
export type Integer = number | bigint;

/**
 * A vector: a plain array. A hole (`undefined`) is an absent element, which Nanos writes as
 * absent and reads back as a hole.
 */
export type Vector = Array<Value | undefined>;

/**
 * Any Nanos value: tuple, vector, string, integer, raw bytes (untyped buffer or a non-UTF-8
 * string) or the null value. *Absent* is `undefined` and is not a value.
 */
export type Value = Tuple | Vector | string | Integer | ByteString | NullValue;

/**
 * What can name an attribute: a symbol, a name, or a non-negative integer, which means the
 * symbol of its decimal form (so `1`, `1n` and `"1"` all name the same attribute, as in Nanos).
 */
export type Attribute = Sym | string | number | bigint;

/** 2^64 − 1, the largest unsigned 64-bit integer (Nanos `infinity`). */
export const U64_MAX = (1n << 64n) - 1n;
/** −2^63, the smallest signed 64-bit integer. */
export const S64_MIN = -(1n << 63n);

/** True for integers (`number` or `bigint`). A non-integral `number` is not a value. */
export function isInteger(value: unknown): value is Integer {
  return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
}

/** True for vectors. */
export function isVector(value: unknown): value is Vector {
  return Array.isArray(value);
}

/** True for composite values (tuples and vectors), which have identity and can be shared. */
export function isComposite(value: unknown): value is Tuple | Vector {
  return value instanceof Tuple || Array.isArray(value);
}

/** An integer in its canonical form: `number` when safe, else `bigint`. */
export function normalizeInteger(n: bigint): Integer {
  return n >= -0x1fffffffffffffn && n <= 0x1fffffffffffffn ? Number(n) : n;
}

/** The integer as a bigint, or `undefined` when it is outside −2^63 … 2^64−1 or not integral. */
export function integerToBigInt(n: Integer): bigint | undefined {
  if (typeof n === "number") {
    if (!Number.isInteger(n)) return undefined;
    n = BigInt(n);
  }
  return n >= S64_MIN && n <= U64_MAX ? n : undefined;
}
