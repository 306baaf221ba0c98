// Test-only conversion of decoded values to the JSON shape of the fixtures' meta.json.
import { ByteString } from "../src/byte-string.js";
import { NULL_VALUE } from "../src/null-value.js";
import { Tuple } from "../src/tuple.js";
import type { Value } from "../src/value.js";

export type Plain = null | string | number | Plain[] | { [key: string]: Plain };

export function toPlain(value: Value | undefined): Plain {
  if (value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "bigint") return value.toString();
  if (value === NULL_VALUE) return { $null: null };
  if (value instanceof ByteString) return value.untyped ? { $untyped: value.toString() } : { $bytes: value.toString() };
  if (Array.isArray(value)) return value.map(toPlain);
  const out: { [key: string]: Plain } = {};
  for (const [key, v] of value as Tuple) Object.defineProperty(out, key.name, { value: toPlain(v), enumerable: true, writable: true });
  return out;
}
