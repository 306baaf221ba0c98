import { ByteString } from "./byte-string.js";
import { compareBytes } from "./compare-bytes.js";
import { NULL_VALUE } from "./null-value.js";
import type { Sym } from "./symbol.js";
import { Tuple } from "./tuple.js";
import { TupleError } from "./tuple-error.js";
import type { Value, Vector } from "./value.js";

/** Options of {@link printValue}, after the `indent` and `depth` attributes of Nanos `%v`. */
export interface PrintOptions {
  /**
   * Put each entry on its own line, aligned under the first; the number is the column where
   * the value starts (0 for a value at the start of a line, as `dump` prints). Omit it for one
   * line with entries separated by spaces.
   */
  indent?: number;
  /** Print composites nested deeper than this as `<pruned>` (0 or omitted: no limit). */
  depth?: number;
}

/** Longest text {@link printValue} produces (2^26 characters: far beyond any real dump, far below V8's string limit). */
export const MAX_PRINTED_LENGTH = 2 ** 26;

interface Frame {
  readonly entries: ReadonlyArray<readonly [Sym, Value]> | Vector;
  readonly isTuple: boolean;
  readonly indent: number;
  readonly depth: number;
  next: number;
}

/**
 * Prints a value as Nanos prints values (`%v`, and the metadata section of `dump`): tuple keys
 * sorted by their bytes, strings raw (no quotes, no escapes), integers in decimal, `<null>`, a
 * composite already printed as `<visited>`, too deep as `<pruned>`, an untyped buffer with
 * bytes outside printable ASCII as `{binary, length N}`, absent as `(none)`. Columns count
 * bytes, so multi-byte UTF-8 names shift the alignment exactly as in Nanos. Iterative.
 *
 * @throws {@link TupleError} when the text would exceed {@link MAX_PRINTED_LENGTH} (deeply
 *   nested values printed with `indent` grow quadratically).
 *
 * @example
 * ```ts
 * printValue(Tuple.from({ b: "2", a: ["x", "y"] })); // "(a:[x y] b:2)"
 * ```
 */
export function printValue(value: Value | undefined, options: PrintOptions = {}): string {
  const out: string[] = [];
  let length = 0;
  const put = (text: string): void => {
    length += text.length;
    // Deep nesting with indentation grows quadratically; fail clearly before the JS string limit.
    if (length > MAX_PRINTED_LENGTH) {
      throw new TupleError(`printed form exceeds ${MAX_PRINTED_LENGTH} characters; print with a smaller depth`);
    }
    out.push(text);
  };
  const visited = new Set<object>();
  const stack: Frame[] = [];
  const maxDepth = options.depth !== undefined && options.depth > 0 ? options.depth : Infinity;

  const emit = (v: Value | undefined, indent: number, depth: number): void => {
    if (v instanceof Tuple || Array.isArray(v)) {
      if (visited.has(v)) {
        put("<visited>");
      } else if (depth <= 0) {
        visited.add(v);
        put("<pruned>");
      } else {
        visited.add(v);
        const isTuple = v instanceof Tuple;
        put(isTuple ? "(" : "[");
        const entries = isTuple ? [...v].sort((x, y) => compareBytes(x[0].bytes, y[0].bytes)) : v;
        stack.push({ entries, isTuple, indent: indent >= 0 ? indent + 1 : -1, depth: depth - 1, next: 0 });
      }
    } else {
      put(scalarText(v));
    }
  };

  emit(value, options.indent ?? -1, maxDepth);
  for (;;) {
    const frame = stack[stack.length - 1];
    if (frame === undefined) return out.join("");
    if (frame.next === frame.entries.length) {
      put(frame.isTuple ? ")" : "]");
      stack.pop();
      continue;
    }
    if (frame.next > 0) put(frame.indent >= 0 ? `\n${" ".repeat(frame.indent)}` : " ");
    if (frame.isTuple) {
      const [key, v] = (frame.entries as ReadonlyArray<readonly [Sym, Value]>)[frame.next++]!;
      put(key.name);
      put(":");
      emit(v, frame.indent >= 0 ? frame.indent + key.bytes.length + 1 : -1, frame.depth);
    } else {
      emit((frame.entries as Vector)[frame.next++], frame.indent, frame.depth);
    }
  }
}

function scalarText(v: Exclude<Value, Tuple | Vector> | undefined): string {
  if (v === undefined) return "(none)";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return v.toString();
  if (v === NULL_VALUE) return "<null>";
  if (v instanceof ByteString && v.untyped && v.bytes.some((b) => b < 0x20 || b > 0x7e)) return `{binary, length ${v.bytes.length}}`;
  return v.toString();
}
