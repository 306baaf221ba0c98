import type { Dictionary } from "./dictionary.js";

/** Version of the TFS value encoding: 5 (typed values) or 4 (untyped buffers and tuples only). */
export type LogVersion = 4 | 5;

// Value types of the version-5 header (bits 6..4); version 4 has only buffer (0) and tuple (1).
export const TYPE_BUFFER = 0;
export const TYPE_TUPLE = 1;
export const TYPE_VECTOR = 2;
export const TYPE_INTEGER = 3;
export const TYPE_STRING = 4;

/**
 * The state that persists across the records of one log: the dictionary and the entry counters
 * TFS uses to decide when to compact.
 */
export interface LogState {
  /** Index ↔ object for the whole log chain. */
  readonly dictionary: Dictionary;
  /** Tuple entries and vector elements written or read. */
  total: number;
  /** Entries superseded: +1 for an overwrite, +2 for a deletion. */
  obsolete: number;
}
