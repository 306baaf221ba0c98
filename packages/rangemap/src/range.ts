/**
 * A half-open range `[start, end)` of non-negative integers (or `Infinity` as an unbounded end).
 * Values are plain numbers: exact up to 2^53.
 */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The canonical empty range `{0, 0}` that Nanos's range helpers return for "nothing". */
export const EMPTY_RANGE: Range = Object.freeze({ start: 0, end: 0 });

/** Makes a range. */
export function range(start: number, end: number): Range {
  return { start, end };
}

/** `end - start`. */
export function rangeSpan(r: Range): number {
  return r.end - r.start;
}

/** `start <= end`. */
export function rangeValid(r: Range): boolean {
  return r.start <= r.end;
}

/** No element: `start >= end`. */
export function rangeEmpty(r: Range): boolean {
  return r.start >= r.end;
}

/** Same bounds. */
export function rangeEqual(a: Range, b: Range): boolean {
  return a.start === b.start && a.end === b.end;
}

/** Whether `point` lies in `r`. */
export function pointInRange(r: Range, point: number): boolean {
  return point >= r.start && point < r.end;
}

/** Whether `inner` lies entirely inside `outer`. */
export function rangeContains(outer: Range, inner: Range): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/**
 * The common part of `a` and `b`, or {@link EMPTY_RANGE} when they share nothing (touching
 * ranges such as [5,10) and [10,20) share nothing).
 */
export function rangeIntersection(a: Range, b: Range): Range {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start, end } : EMPTY_RANGE;
}

/** Whether `a` and `b` share at least one element. */
export function rangesIntersect(a: Range, b: Range): boolean {
  return Math.max(a.start, b.start) < Math.min(a.end, b.end);
}

/**
 * The parts of `a` outside `b`: `[before, after]`. When they intersect, `before` is
 * `[a.start, overlap.start)` and `after` is `[overlap.end, a.end)` (either may be empty);
 * otherwise `before` is `a` and `after` is {@link EMPTY_RANGE}.
 */
export function rangeDifference(a: Range, b: Range): [Range, Range] {
  const overlap = rangeIntersection(a, b);
  if (rangeSpan(overlap) === 0) return [{ start: a.start, end: a.end }, EMPTY_RANGE];
  return [
    { start: a.start, end: overlap.start },
    { start: overlap.end, end: a.end },
  ];
}

/** `r` moved by `delta`. */
export function rangeAdd(r: Range, delta: number): Range {
  return { start: r.start + delta, end: r.end + delta };
}

/** `r` scaled up by `2^order` (pages → bytes). */
export function rangeLshift(r: Range, order: number): Range {
  const scale = 2 ** order;
  return { start: r.start * scale, end: r.end * scale };
}

/** `r` scaled down by `2^order`, rounding both ends down (bytes → pages). */
export function rangeRshift(r: Range, order: number): Range {
  const scale = 2 ** order;
  return { start: Math.floor(r.start / scale), end: Math.floor(r.end / scale) };
}

/** `r` scaled down by `2^order`, the end rounded up so the result covers `r`. */
export function rangeRshiftPad(r: Range, order: number): Range {
  const scale = 2 ** order;
  return { start: Math.floor(r.start / scale), end: Math.ceil(r.end / scale) };
}
