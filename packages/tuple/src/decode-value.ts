import { ByteReader } from "./byte-reader.js";
import { ByteString } from "./byte-string.js";
import { TYPE_BUFFER, TYPE_INTEGER, TYPE_STRING, TYPE_TUPLE, TYPE_VECTOR, type LogState, type LogVersion } from "./log-version.js";
import { NULL_VALUE } from "./null-value.js";
import { internBytes, Sym } from "./symbol.js";
import { Tuple, tupleEntries } from "./tuple.js";
import { utf8DecodeStrict } from "./utf8.js";
import { normalizeInteger, type Value, type Vector } from "./value.js";

const TWO_POW_63 = 1n << 63n;

/** A composite being filled: entries still to read, and where the next one goes. */
interface Frame {
  readonly target: Tuple | Vector;
  remaining: number;
  /** Tuple: the attribute whose value is being read. */
  key: Sym | undefined;
  /** Vector: the index of the element being read. */
  index: number;
  /** Created by this record (as opposed to an existing composite it updates). */
  readonly fresh: boolean;
}

/**
 * How to undo one change to a composite that existed before the record: the container, the
 * attribute or index, and the previous value (for a vector, also its previous length).
 */
export type UndoEntry = readonly [Tuple, Sym, Value | undefined] | readonly [Vector, number, Value | undefined, number];

/**
 * Decodes one value (a log record) at `reader.pos`, applying its side effects to `state`: new
 * dictionary entries, attribute sets and deletes on tuples the dictionary already holds, and the
 * `total`/`obsolete` counters. Returns the value (`undefined` for absent). Iterative, so nesting
 * depth is limited only by the input's length.
 *
 * @param undo receives, for each change to a composite that existed before this record, what
 *   it replaced, so a caller can roll back a record that fails half-way.
 * @throws {@link TupleError} on truncated input, unknown types, oversized numbers and
 *   references to missing or wrongly typed dictionary entries.
 */
export function decodeValue(reader: ByteReader, state: LogState, version: LogVersion, undo: UndoEntry[]): Value | undefined {
  const v4 = version === 4;
  const dictionary = state.dictionary;
  const stack: Frame[] = [];
  for (;;) {
    const parent = stack[stack.length - 1];
    if (parent !== undefined && parent.target instanceof Tuple) parent.key = readName(reader, state, v4);

    const at = reader.pos;
    const header = reader.u8("value header");
    const immediate = (header & 0x80) !== 0;
    const type = v4 ? (header >> 6) & 1 : (header >> 4) & 7;
    let length = header & (v4 ? 0x1f : 0x07);
    if (header & (v4 ? 0x20 : 0x08)) length = reader.continueGroups(length, "value length");

    let value: Value | undefined;
    switch (type) {
      case TYPE_TUPLE:
      case TYPE_VECTOR: {
        let target: Tuple | Vector;
        if (immediate) {
          target = type === TYPE_TUPLE ? new Tuple() : [];
          dictionary.recordDecoded(target);
        } else {
          const index = reader.varint("reference index");
          const found = dictionary.get(index);
          const wanted = type === TYPE_TUPLE ? "tuple" : "vector";
          if (found === undefined) reader.fail(`${wanted} reference to missing dictionary entry #${index}`, at);
          if (type === TYPE_TUPLE ? !(found instanceof Tuple) : !Array.isArray(found)) {
            reader.fail(`${wanted} reference to dictionary entry #${index}, which is a ${describe(found)}`, at);
          }
          target = found as Tuple | Vector;
        }
        if (length > 0) {
          stack.push({ target, remaining: length, key: undefined, index: 0, fresh: immediate });
          continue;
        }
        value = target;
        break;
      }
      case TYPE_INTEGER: {
        if (!immediate) reader.fail("integer reference (integers are always immediate)", at);
        const magnitude = reader.varintInteger("integer");
        if (typeof magnitude === "number") {
          value = length !== 0 && magnitude !== 0 ? -magnitude : magnitude;
        } else {
          if (length !== 0 && magnitude > TWO_POW_63) reader.fail(`negative integer -${magnitude} is below -2^63`, at);
          value = normalizeInteger(length !== 0 ? -magnitude : magnitude);
        }
        break;
      }
      case TYPE_STRING:
      case TYPE_BUFFER: {
        const untyped = type === TYPE_BUFFER;
        if (untyped && length === 0) break; // absent: deletes the attribute, leaves a vector hole
        if (!immediate) {
          // Never written by Nanos: the dictionary holds no strings. Read it as the symbol's name.
          const found = dictionary.get(length);
          if (!(found instanceof Sym)) {
            reader.fail(`string reference to dictionary entry #${length}, which is ${found === undefined ? "missing" : `a ${describe(found)}`}`, at);
          }
          value = untyped ? new ByteString(found.bytes, true) : found.name;
          break;
        }
        const start = reader.pos;
        reader.take(length, untyped ? "buffer" : "string");
        if (untyped) {
          value = length === 1 && reader.bytes[start] === 0 ? NULL_VALUE : new ByteString(reader.bytes.slice(start, reader.pos), true);
        } else {
          value = utf8DecodeStrict(reader.bytes, start, reader.pos) ?? new ByteString(reader.bytes.slice(start, reader.pos), false);
        }
        break;
      }
      default:
        reader.fail(`unknown value type ${type}`, at);
    }

    // Hand the finished value to its container; finish every container it completes.
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return value;
      const target = frame.target;
      let old: Value | undefined;
      if (target instanceof Tuple) {
        const entries = tupleEntries(target);
        old = entries.get(frame.key!);
        if (!frame.fresh) undo.push([target, frame.key!, old]);
        if (value === undefined) entries.delete(frame.key!);
        else entries.set(frame.key!, value);
      } else {
        old = target[frame.index];
        if (!frame.fresh) undo.push([target, frame.index, old, target.length]);
        target[frame.index++] = value;
      }
      if (old !== undefined) state.obsolete += value === undefined ? 2 : 1;
      state.total++;
      if (--frame.remaining > 0) break;
      stack.pop();
      value = target;
    }
  }
}

/** Reverts the changes listed by {@link decodeValue}, newest first. */
export function undoChanges(undo: readonly UndoEntry[]): void {
  for (let i = undo.length - 1; i >= 0; i--) {
    const change = undo[i]!;
    if (change[0] instanceof Tuple) {
      change[0].set(change[1], change[2]);
    } else {
      const [vector, index, old, length] = change as readonly [Vector, number, Value | undefined, number];
      vector[index] = old;
      vector.length = length;
    }
  }
}

function readName(reader: ByteReader, state: LogState, v4: boolean): Sym {
  const at = reader.pos;
  const header = reader.u8("attribute name");
  let length = header & (v4 ? 0x1f : 0x07);
  if (header & (v4 ? 0x20 : 0x08)) length = reader.continueGroups(length, "attribute name length");
  if (header & 0x80) {
    const start = reader.pos;
    reader.take(length, "attribute name");
    const name = internBytes(reader.bytes, start, reader.pos);
    state.dictionary.recordDecoded(name);
    return name;
  }
  const found = state.dictionary.get(length);
  if (found instanceof Sym) return found;
  return reader.fail(`attribute name reference to dictionary entry #${length}, which is ${found === undefined ? "missing" : `a ${describe(found)}`}`, at);
}

function describe(entry: object): string {
  return entry instanceof Tuple ? "tuple" : Array.isArray(entry) ? "vector" : "symbol";
}
