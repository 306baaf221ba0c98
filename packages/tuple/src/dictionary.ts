import type { Sym } from "./symbol.js";
import type { Tuple } from "./tuple.js";
import type { Vector } from "./value.js";

/** What a dictionary records: symbols (attribute names), tuples and vectors. */
export type DictionaryEntry = Sym | Tuple | Vector;

/**
 * The dictionary of one TFS metadata log: index ↔ object, shared by every record of the log
 * chain (reset only by compaction). Indexes start at 1 and are given in byte-stream order to each
 * immediate tuple, vector and attribute name, by the decoder and the encoder alike.
 */
export class Dictionary {
  readonly #entries: DictionaryEntry[] = [];
  readonly #indexes = new Map<DictionaryEntry, number>();

  /** Number of indexes given out; the next one is `size + 1`. */
  get size(): number {
    return this.#entries.length;
  }

  /** The object at an index, or `undefined`. */
  get(index: number): DictionaryEntry | undefined {
    return index >= 1 ? this.#entries[index - 1] : undefined;
  }

  /** The index of an object (its first one, if a damaged log recorded it twice). */
  indexOf(entry: DictionaryEntry): number | undefined {
    return this.#indexes.get(entry);
  }

  /**
   * Gives `entry` the next index and returns it. Every recording takes an index, even for an
   * object already present: that is how a reader counts, so a writer must count the same way.
   */
  record(entry: DictionaryEntry): number {
    this.#entries.push(entry);
    const index = this.#entries.length;
    if (!this.#indexes.has(entry)) this.#indexes.set(entry, index);
    return index;
  }
}
