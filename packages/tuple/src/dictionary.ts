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
  // The reverse index is only needed to encode; once the decoder has run ahead of it, it is
  // caught up lazily on the next lookup, so decoding does not pay for it.
  #indexed = 0;

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
    const entries = this.#entries;
    for (; this.#indexed < entries.length; this.#indexed++) {
      const pending = entries[this.#indexed]!;
      if (!this.#indexes.has(pending)) this.#indexes.set(pending, this.#indexed + 1);
    }
    return this.#indexes.get(entry);
  }

  /**
   * Gives `entry` the next index and returns it. Every recording takes an index, even for an
   * object already present: that is how a reader counts, so a writer must count the same way.
   */
  record(entry: DictionaryEntry): number {
    const index = this.#entries.push(entry);
    // The encoder records only objects it just failed to find: index them right away.
    if (this.#indexed === index - 1 && !this.#indexes.has(entry)) {
      this.#indexes.set(entry, index);
      this.#indexed = index;
    }
    return index;
  }

  /** Forgets every index above `size` (undoing a record that failed half-way). */
  truncate(size: number): void {
    while (this.#entries.length > size) {
      const index = this.#entries.length;
      const entry = this.#entries.pop()!;
      if (this.#indexes.get(entry) === index) this.#indexes.delete(entry);
    }
    this.#indexed = Math.min(this.#indexed, size);
  }

  /**
   * Like {@link record}, for an object that {@link indexOf} just reported absent: the encoder's
   * path, which skips the duplicate check.
   */
  recordNew(entry: DictionaryEntry): number {
    const index = this.#entries.push(entry);
    if (this.#indexed === index - 1) {
      this.#indexes.set(entry, index);
      this.#indexed = index;
    }
    return index;
  }

  /**
   * Like {@link record}, but leaves the object → index lookup to be built on the next
   * {@link indexOf}: what the decoder uses, since reading a log never needs it.
   */
  recordDecoded(entry: DictionaryEntry): number {
    return this.#entries.push(entry);
  }
}
