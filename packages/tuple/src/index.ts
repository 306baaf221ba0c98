// Public API of @nanots/tuple: re-exports only.
export { findAttributeSymbol, toSymbol } from "./attribute.js";
export { ByteReader } from "./byte-reader.js";
export { ByteString } from "./byte-string.js";
export { ByteWriter } from "./byte-writer.js";
export { parseDecimal } from "./decimal.js";
export { Dictionary, type DictionaryEntry } from "./dictionary.js";
export { isNoEncode } from "./encode-value.js";
export { HashTable, MAX_BUCKETS, type HashTableOptions } from "./hash-table.js";
export { JsonParser, parseJson, type JsonParserOptions } from "./json-parser.js";
export type { LogState, LogVersion } from "./log-version.js";
export { ManifestParser, parseManifest, parseValueText, type ManifestParserOptions } from "./manifest-parser.js";
export { NULL_VALUE, NullValue } from "./null-value.js";
export { MAX_PRINTED_LENGTH, printValue, type PrintOptions } from "./print-value.js";
export { findSymbol, intern, internBytes, internU64, sym, Sym } from "./symbol.js";
export { TextParser } from "./text-parser.js";
export { cloneValue, Tuple, type ValueInit } from "./tuple.js";
export { TupleCodec, type DecodedRecord } from "./tuple-codec.js";
export { TupleError, type TuplePosition } from "./tuple-error.js";
export {
  integerToBigInt,
  isComposite,
  isInteger,
  isVector,
  normalizeInteger,
  S64_MIN,
  U64_MAX,
  type Attribute,
  type Integer,
  type Value,
  type Vector,
} from "./value.js";
