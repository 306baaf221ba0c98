import { latin1, utf8DecodeLossy, utf8DecodeStrict, utf8Encode } from "./utf8.js";

const MASK64 = (1n << 64n) - 1n;
const CONSTRUCT = Symbol("Sym.construct");

// Nanos gives every new symbol the next output of a fixed-seed xorshift generator, so keys (and
// with them hash-table order) are reproducible for a given interning order.
let state0 = 0xa5a5beefa5a5cafen;
let state1 = 0xbeef55aaface55aan;

function rotateLeft(x: bigint, by: bigint): bigint {
  return ((x << by) | (x >> (64n - by))) & MASK64;
}

function nextSymbolKey(): bigint {
  const s0 = state0;
  const s1 = state1 ^ s0;
  const result = (state0 + state1) & MASK64;
  state0 = rotateLeft(s0, 55n) ^ s1 ^ ((s1 << 14n) & MASK64);
  state1 = rotateLeft(s1, 36n);
  return result;
}

/**
 * An interned symbol: the name of a tuple attribute. There is exactly one `Sym` per distinct
 * name (compare with `===`); get one with {@link intern} or {@link sym}. Names are byte strings,
 * normally UTF-8; a name read from disk that is not valid UTF-8 keeps its exact bytes.
 */
export class Sym {
  /** The name as text (invalid UTF-8 bytes, if any, shown as U+FFFD). */
  readonly name: string;
  /** The pseudo-random 64-bit key Nanos would give this symbol (deterministic per run). */
  readonly key: bigint;
  /** The low 32 bits of {@link key}: what hash tables keyed by symbols use. */
  readonly hash: number;
  #bytes: Uint8Array | undefined;

  /** @internal Use {@link intern}. */
  constructor(token: symbol, name: string, bytes: Uint8Array | undefined) {
    if (token !== CONSTRUCT) throw new TypeError("use intern() to make a Sym");
    this.name = name;
    this.#bytes = bytes;
    this.key = nextSymbolKey();
    this.hash = Number(this.key & 0xffffffffn);
  }

  /** The exact bytes of the name (UTF-8 unless it came from disk as something else). */
  get bytes(): Uint8Array {
    return (this.#bytes ??= utf8Encode(this.name));
  }

  /** The name as text. */
  toString(): string {
    return this.name;
  }
}

const symbols = new Map<string, Sym>();

// A lone surrogate cannot come out of a UTF-8 decoder, so this prefix keeps the keys of names
// that are not valid UTF-8 apart from every valid name.
const BINARY_KEY_PREFIX = "\uD800";
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The unique symbol for a name. Interning is global and symbols are never freed, as in Nanos.
 *
 * @example
 * ```ts
 * intern("children") === intern("children"); // true
 * ```
 */
export function intern(name: string): Sym {
  const found = symbols.get(name);
  if (found !== undefined) return found;
  // Strings with lone surrogates have no exact UTF-8 form; intern what they encode to.
  if (SURROGATE.test(name)) {
    const bytes = utf8Encode(name);
    return internBytes(bytes, 0, bytes.length);
  }
  const created = new Sym(CONSTRUCT, name, undefined);
  symbols.set(name, created);
  return created;
}

/**
 * The symbol for a name if it was ever interned, else `undefined`; never creates one. Lookups
 * use it so that probing names (for example a guest's lookups of files that do not exist) does
 * not grow the global symbol table.
 */
export function findSymbol(name: string): Sym | undefined {
  const found = symbols.get(name);
  if (found !== undefined || !SURROGATE.test(name)) return found;
  const bytes = utf8Encode(name);
  const text = utf8DecodeStrict(bytes, 0, bytes.length);
  return symbols.get(text ?? BINARY_KEY_PREFIX + latin1(bytes));
}

/** Shorthand for {@link intern}, after Nanos's `sym(name)`. */
export const sym = intern;

/** The unique symbol whose name is `bytes[start, end)` (copied if new). */
export function internBytes(bytes: Uint8Array, start = 0, end = bytes.length): Sym {
  const text = utf8DecodeStrict(bytes, start, end);
  const key = text ?? BINARY_KEY_PREFIX + latin1(bytes.subarray(start, end));
  const found = symbols.get(key);
  if (found !== undefined) return found;
  const copy = bytes.slice(start, end);
  const created = new Sym(CONSTRUCT, text ?? utf8DecodeLossy(copy), copy);
  symbols.set(key, created);
  return created;
}

/** The symbol for the decimal form of a non-negative integer (Nanos `intern_u64`). */
export function internU64(n: number | bigint): Sym {
  return intern(n.toString());
}
