import { ByteString } from "./byte-string.js";
import type { ByteWriter } from "./byte-writer.js";
import { TYPE_BUFFER, TYPE_INTEGER, TYPE_STRING, TYPE_TUPLE, TYPE_VECTOR, type LogState } from "./log-version.js";
import { NULL_VALUE } from "./null-value.js";
import { intern, type Sym } from "./symbol.js";
import { Tuple, tupleEntries } from "./tuple.js";
import { TupleError } from "./tuple-error.js";
import { integerToBigInt, type Value, type Vector } from "./value.js";

const NO_ENCODE = intern("no_encode");

/** True for tuples that must never be written (they carry a `no_encode` attribute). */
export function isNoEncode(value: Value | undefined): boolean {
  return value instanceof Tuple && tupleEntries(value).has(NO_ENCODE);
}

/**
 * Writes a version-5 value header: immediate bit, type, and the length in the low 3 bits plus
 * as many 7-bit continuation bytes as it needs (most significant first), like the C writer.
 */
export function writeHeader(w: ByteWriter, immediate: boolean, type: number, length: number): void {
  let groups = 0;
  for (let rest = Math.floor(length / 8); rest > 0; rest = Math.floor(rest / 128)) groups++;
  const scale = 128 ** groups;
  w.u8((immediate ? 0x80 : 0) | (type << 4) | (groups > 0 ? 0x08 : 0) | Math.floor(length / scale));
  for (let i = groups - 1; i >= 0; i--) w.u8((Math.floor(length / 128 ** i) % 128) | (i > 0 ? 0x80 : 0));
}

/** Writes an attribute name: a back-reference when the dictionary has it, else its bytes. */
export function writeSymbol(w: ByteWriter, state: LogState, symbol: Sym): void {
  const index = state.dictionary.indexOf(symbol);
  if (index !== undefined) {
    writeHeader(w, false, TYPE_BUFFER, index);
  } else {
    const bytes = symbol.bytes;
    writeHeader(w, true, TYPE_BUFFER, bytes.length);
    w.write(bytes);
    state.dictionary.recordNew(symbol);
  }
}

interface Frame {
  /** Tuple: keys and values interleaved; vector: the elements. */
  readonly items: ReadonlyArray<Sym | Value | undefined>;
  readonly isTuple: boolean;
  next: number;
}

const NOTHING: never[] = [];

/** The entries to write, keys and values interleaved, without `no_encode` tuples. */
function tupleItems(tuple: Tuple): Array<Sym | Value> {
  const items: Array<Sym | Value> = [];
  tupleEntries(tuple).forEach((v, k) => {
    if (!isNoEncode(v)) items.push(k, v);
  });
  return items;
}

/**
 * Encodes a value in the version-5 format, recording new composites and names in the dictionary
 * in byte-stream order. A tuple or vector the dictionary already knows is written as a
 * reference that restates all its entries, except when it was already written in this record
 * (`visited`), where the bare reference is enough: that is how sharing and cycles are kept.
 * Tuples carrying `no_encode` are skipped (tuple entries) or written as absent (vector
 * elements). Iterative, so any nesting depth is fine.
 *
 * @param countTotal add each entry written to `state.total` (whole-tuple records do; eav
 *   records count once, in the caller).
 * @throws {@link TupleError} for something that is not a value or cannot be encoded.
 */
export function encodeValue(w: ByteWriter, state: LogState, root: Value | undefined, visited: Set<object>, countTotal: boolean): void {
  if (!(root instanceof Tuple || Array.isArray(root))) {
    writeScalar(w, root);
    return;
  }
  const stack: Frame[] = [];
  let value: Value | undefined = root;
  for (;;) {
    if (value instanceof Tuple || Array.isArray(value)) {
      const isTuple = value instanceof Tuple;
      const index = state.dictionary.indexOf(value);
      // Only a composite already in the dictionary can have been written in this record.
      const items: ReadonlyArray<Sym | Value | undefined> =
        index !== undefined && visited.has(value) ? NOTHING : isTuple ? tupleItems(value as Tuple) : (value as Vector);
      const count = isTuple ? items.length / 2 : items.length;
      const type = isTuple ? TYPE_TUPLE : TYPE_VECTOR;
      if (index !== undefined) {
        writeHeader(w, false, type, count);
        w.varint(index);
      } else {
        writeHeader(w, true, type, count);
        state.dictionary.recordNew(value);
      }
      if (count > 0) {
        visited.add(value);
        stack.push({ items, isTuple, next: 0 });
      }
    } else {
      writeScalar(w, value);
    }

    // Move to the next entry of the innermost unfinished composite.
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return;
      if (frame.next < frame.items.length) {
        if (frame.isTuple) {
          writeSymbol(w, state, frame.items[frame.next++] as Sym);
          value = frame.items[frame.next++] as Value;
        } else {
          const v = frame.items[frame.next++] as Value | undefined;
          value = isNoEncode(v) ? undefined : v;
        }
        if (countTotal) state.total++;
        break;
      }
      stack.pop();
    }
  }
}

/** Writes absent or any value that is not a composite. */
function writeScalar(w: ByteWriter, value: Exclude<Value, Tuple | Vector> | undefined): void {
  if (value === undefined) {
    w.u8(0x80);
  } else if (typeof value === "string") {
    writeString(w, value);
  } else if (typeof value === "number" || typeof value === "bigint") {
    writeInteger(w, value);
  } else if (value instanceof ByteString) {
    writeBytes(w, value);
  } else if (value === NULL_VALUE) {
    w.u8(0x81);
    w.u8(0x00);
  } else {
    throw new TupleError(`cannot encode ${String(value)}: not a tuple value`);
  }
}

function writeString(w: ByteWriter, text: string): void {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    writeHeader(w, true, TYPE_STRING, text.length);
    w.ascii(text);
  } else {
    const bytes = new TextEncoder().encode(text);
    writeHeader(w, true, TYPE_STRING, bytes.length);
    w.write(bytes);
  }
}

function writeInteger(w: ByteWriter, n: number | bigint): void {
  if (typeof n === "number" && Number.isSafeInteger(n)) {
    writeHeader(w, true, TYPE_INTEGER, n < 0 ? 1 : 0);
    w.varint(Math.abs(n));
    return;
  }
  const big = integerToBigInt(n);
  if (big === undefined) throw new TupleError(`cannot encode ${String(n)}: integers must be whole and within -2^63 … 2^64-1`);
  writeHeader(w, true, TYPE_INTEGER, big < 0n ? 1 : 0);
  w.varint(big < 0n ? -big : big);
}

function writeBytes(w: ByteWriter, value: ByteString): void {
  const bytes = value.bytes;
  if (value.untyped && (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0))) {
    // Written as Nanos would, these would read back as absent or as the null value.
    throw new TupleError(`cannot encode an untyped buffer of ${bytes.length === 0 ? "no bytes" : "one zero byte"}: it would read back as ${bytes.length === 0 ? "absent" : "the null value"}`);
  }
  writeHeader(w, true, value.untyped ? TYPE_BUFFER : TYPE_STRING, bytes.length);
  w.write(bytes);
}
