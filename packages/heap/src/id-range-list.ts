// The id heap's ranges, kept sorted by start in an array. This stands in for a
// @nanots/rangemap RangeMap, whose API was not yet committed when the id heap was written.

/** A half-open span `[start, end)` of pages. */
export interface PageSpan {
  start: number;
  end: number;
}

/** Sorted, non-overlapping spans with overlap-rejecting insertion and window lookup. */
export class SortedSpans<T extends PageSpan> {
  readonly items: T[] = [];

  /** Index of the first span whose end is above `point`. */
  private firstEndingAfter(point: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.end <= point) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts `span` unless it overlaps an existing one (touching is fine); returns the conflict or undefined. */
  insert(span: T): T | undefined {
    const at = this.firstEndingAfter(span.start);
    const next = this.items[at];
    if (next !== undefined && next.start < span.end) return next;
    this.items.splice(at, 0, span);
    return undefined;
  }

  /** Spans intersecting `[start, end)`, in address order. */
  overlapping(start: number, end: number): T[] {
    const found: T[] = [];
    for (let i = this.firstEndingAfter(start); i < this.items.length; i++) {
      const span = this.items[i]!;
      if (span.start >= end) break;
      found.push(span);
    }
    return found;
  }

  /** True when the spans cover every point of `[start, end)`. */
  covers(start: number, end: number): boolean {
    let reached = start;
    for (const span of this.overlapping(start, end)) {
      if (span.start > reached) return false;
      reached = span.end;
    }
    return reached >= end;
  }
}
