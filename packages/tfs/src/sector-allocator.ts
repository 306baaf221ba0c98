/** A run of sectors. */
export interface SectorRun {
  start: number;
  count: number;
}

/**
 * What the filesystem needs from a sector allocator: first-fit runs, frees, and marking what an
 * existing image already uses. Kept small so another heap (such as `@nanots/heap`'s id heap)
 * can stand in.
 */
export interface SectorAllocator {
  /** A run of exactly `count` sectors (first fit), or `undefined` when no free run is that long. */
  allocate(count: number): number | undefined;
  /**
   * Up to `count` sectors: the first free run that holds them all, else the longest free run.
   * `undefined` when nothing is free.
   */
  allocatePart(count: number): SectorRun | undefined;
  /** Returns a run to the free space. */
  free(start: number, count: number): void;
  /** Marks a run as used; false when part of it is not free (overlapping use). */
  claim(start: number, count: number): boolean;
  /** Free sectors in total. */
  readonly freeSectors: number;
}

/**
 * First-fit allocator over `[0, size)`: free space is a sorted list of disjoint runs, merged on
 * free. Nanos allocates TFS space first-fit in sector units; this reproduces its layouts.
 */
export class FirstFitAllocator implements SectorAllocator {
  // Parallel sorted arrays of free runs.
  readonly #starts: number[] = [];
  readonly #counts: number[] = [];
  #free = 0;

  /** All of `[0, size)` free. */
  constructor(size: number) {
    if (size > 0) {
      this.#starts.push(0);
      this.#counts.push(size);
      this.#free = size;
    }
  }

  get freeSectors(): number {
    return this.#free;
  }

  allocate(count: number): number | undefined {
    if (!(count > 0)) return undefined;
    for (let i = 0; i < this.#starts.length; i++) {
      if (this.#counts[i]! >= count) {
        const start = this.#starts[i]!;
        this.#take(i, start, count);
        return start;
      }
    }
    return undefined;
  }

  allocatePart(count: number): SectorRun | undefined {
    const whole = this.allocate(count);
    if (whole !== undefined) return { start: whole, count };
    let best = -1;
    for (let i = 0; i < this.#counts.length; i++) if (best < 0 || this.#counts[i]! > this.#counts[best]!) best = i;
    if (best < 0) return undefined;
    const run = { start: this.#starts[best]!, count: this.#counts[best]! };
    this.#take(best, run.start, run.count);
    return run;
  }

  free(start: number, count: number): void {
    if (count <= 0) return;
    const i = this.#upperBound(start); // first run starting after `start`
    const prev = i - 1;
    if (prev >= 0 && this.#starts[prev]! + this.#counts[prev]! > start) throw new RangeError(`double free of sector ${start}`);
    if (i < this.#starts.length && start + count > this.#starts[i]!) throw new RangeError(`double free of sector ${this.#starts[i]!}`);
    this.#free += count;
    const joinsPrev = prev >= 0 && this.#starts[prev]! + this.#counts[prev]! === start;
    const joinsNext = i < this.#starts.length && start + count === this.#starts[i]!;
    if (joinsPrev && joinsNext) {
      this.#counts[prev] = this.#counts[prev]! + count + this.#counts[i]!;
      this.#starts.splice(i, 1);
      this.#counts.splice(i, 1);
    } else if (joinsPrev) {
      this.#counts[prev] = this.#counts[prev]! + count;
    } else if (joinsNext) {
      this.#starts[i] = start;
      this.#counts[i] = this.#counts[i]! + count;
    } else {
      this.#starts.splice(i, 0, start);
      this.#counts.splice(i, 0, count);
    }
  }

  claim(start: number, count: number): boolean {
    if (count <= 0) return true;
    const i = this.#upperBound(start) - 1;
    if (i < 0) return false;
    const runStart = this.#starts[i]!;
    if (start + count > runStart + this.#counts[i]!) return false;
    this.#take(i, start, count);
    return true;
  }

  // Removes [start, start+count) from run i, which contains it.
  #take(i: number, start: number, count: number): void {
    const runStart = this.#starts[i]!;
    const runEnd = runStart + this.#counts[i]!;
    const end = start + count;
    this.#free -= count;
    if (start === runStart && end === runEnd) {
      this.#starts.splice(i, 1);
      this.#counts.splice(i, 1);
    } else if (start === runStart) {
      this.#starts[i] = end;
      this.#counts[i] = runEnd - end;
    } else if (end === runEnd) {
      this.#counts[i] = start - runStart;
    } else {
      this.#counts[i] = start - runStart;
      this.#starts.splice(i + 1, 0, end);
      this.#counts.splice(i + 1, 0, runEnd - end);
    }
  }

  // Index of the first run whose start is > `sector`.
  #upperBound(sector: number): number {
    let lo = 0;
    let hi = this.#starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#starts[mid]! <= sector) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
