import { toSymbol } from "./attribute.js";
import { ByteReader } from "./byte-reader.js";
import { ByteWriter } from "./byte-writer.js";
import { decodeValue, undoChanges, type UndoEntry } from "./decode-value.js";
import { Dictionary } from "./dictionary.js";
import { encodeValue, writeHeader, writeSymbol } from "./encode-value.js";
import { TYPE_TUPLE, type LogState, type LogVersion } from "./log-version.js";
import { Tuple, tupleEntries } from "./tuple.js";
import { TupleError } from "./tuple-error.js";
import type { Attribute, Value } from "./value.js";

/** A decoded record and how many bytes it took. */
export interface DecodedRecord {
  /** The value; `undefined` when the record was an absent value. */
  value: Value | undefined;
  /** Bytes consumed from the offset given to {@link TupleCodec.decode}. */
  length: number;
}

/**
 * The binary tuple codec of one TFS metadata log: the dictionary shared by all its records and
 * the `total`/`obsolete` counters, with the operations that read and write records. Decode the
 * records of a log in order with one codec; keep using it to append (new indexes continue where
 * the log left off); start a new codec when the log is rebuilt (compaction).
 *
 * @example
 * ```ts
 * const writer = new TupleCodec();
 * const root = Tuple.from({ children: {} });
 * const record1 = writer.encodeTuple(root);
 * const record2 = writer.encodeEav(root.getTuple("children")!, "hello", Tuple.from({ filelength: 5 }));
 *
 * const reader = new TupleCodec();
 * reader.decode(record1);
 * reader.decode(record2);
 * reader.root; // (children:(hello:(filelength:5)))
 * ```
 */
export class TupleCodec implements LogState {
  /** Index ↔ object for every record seen or written. */
  readonly dictionary = new Dictionary();
  /** Tuple entries and vector elements read, plus entries written (Nanos `total_entries`). */
  total = 0;
  /** Entries superseded: +1 per overwrite, +2 per deletion (Nanos `obsolete_entries`). */
  obsolete = 0;
  readonly #writer = new ByteWriter(1024);
  // Composites already written in the record being encoded; reused to spare an allocation.
  readonly #visited = new Set<object>();

  #save(): [number, number, number] {
    return [this.dictionary.size, this.total, this.obsolete];
  }

  #restore([size, total, obsolete]: [number, number, number]): void {
    this.dictionary.truncate(size);
    this.total = total;
    this.obsolete = obsolete;
  }

  /**
   * Runs an encoder on the shared writer; on failure (a value that cannot be encoded) the
   * dictionary and counters are put back, so no index is taken by bytes never written.
   */
  #encode(write: (w: ByteWriter) => void): Uint8Array {
    const w = this.#writer;
    w.reset();
    this.#visited.clear();
    const saved = this.#save();
    try {
      write(w);
    } catch (error) {
      this.#restore(saved);
      throw error;
    }
    return w.toBytes();
  }

  /** The root tuple: dictionary entry 1, once a record has created it. */
  get root(): Tuple | undefined {
    const first = this.dictionary.get(1);
    return first instanceof Tuple ? first : undefined;
  }

  /**
   * Decodes the record that starts at `bytes[offset]`, applying its effects to the tuples already
   * known (eav updates, deletions) and to the dictionary and counters.
   *
   * @param version the encoding of the log extension the record came from.
   * @param end where the record's bytes end (default: the end of `bytes`); reading past it is an error.
   * @throws {@link TupleError} with the byte offset, for malformed or truncated input. The
   *   codec is then left exactly as before the call (dictionary, counters and tuples).
   */
  decode(bytes: Uint8Array, offset = 0, version: LogVersion = 5, end = bytes.length): DecodedRecord {
    if (version !== 4 && version !== 5) throw new TupleError(`unsupported log version ${String(version)} (only 4 and 5 exist)`);
    if (!(offset >= 0 && end <= bytes.length && offset <= end)) {
      throw new TupleError(`bad range [${offset}, ${end}) for ${bytes.length} bytes`, { offset });
    }
    const reader = new ByteReader(bytes, offset, end);
    const undo: UndoEntry[] = [];
    const saved = this.#save();
    try {
      const value = decodeValue(reader, this, version, undo);
      return { value, length: reader.pos - offset };
    } catch (error) {
      undoChanges(undo);
      this.#restore(saved);
      throw error;
    }
  }

  /**
   * Encodes a whole-tuple record (Nanos `encode_tuple`, what `log_write` does): the tuple with
   * all its entries, sub-tuples new to the log inline, known ones as references that restate
   * their entries. Counts every entry written in `total`.
   */
  encodeTuple(tuple: Tuple): Uint8Array {
    return this.encodeValue(tuple);
  }

  /** Encodes any value as a record (Nanos `encode_value`). */
  encodeValue(value: Value): Uint8Array {
    return this.#encode((w) => encodeValue(w, this, value, this.#visited, true));
  }

  /**
   * Encodes an entity–attribute–value record: "set `attribute` of `entity` to `value`", or delete
   * it when `value` is `undefined` (Nanos `encode_eav`). Call it **before** changing the tuple in
   * memory: the current value decides the `obsolete` count (+1 if present, +2 if deleted).
   * Counts 1 in `total`. Does not modify `entity`.
   */
  encodeEav(entity: Tuple, attribute: Attribute, value: Value | undefined): Uint8Array {
    const key = toSymbol(attribute);
    const bytes = this.#encode((w) => {
      const index = this.dictionary.indexOf(entity);
      if (index !== undefined) {
        writeHeader(w, false, TYPE_TUPLE, 1);
        w.varint(index);
      } else {
        writeHeader(w, true, TYPE_TUPLE, 1);
        this.dictionary.recordNew(entity);
      }
      writeSymbol(w, this, key);
      encodeValue(w, this, value, this.#visited.add(entity), false);
    });
    if (tupleEntries(entity).has(key)) this.obsolete += value === undefined ? 2 : 1;
    this.total++;
    return bytes;
  }
}
