import type { GuestMemory } from "./guest-memory.js";

/** One buffer of a descriptor chain: a guest-physical range. */
export interface Segment {
  readonly addr: number;
  readonly len: number;
}

/**
 * A validated descriptor chain as the device sees it: every range lies inside guest memory and
 * all device-readable segments come before the device-writable ones.
 */
export interface DescriptorChain {
  /** Index of the chain's head descriptor; the id the device returns in the used ring. */
  readonly head: number;
  /** Device-readable segments, in chain order. */
  readonly readable: readonly Segment[];
  /** Device-writable segments, in chain order. */
  readonly writable: readonly Segment[];
}

/** Sum of the segment lengths. */
export function totalLength(segments: readonly Segment[]): number {
  let total = 0;
  for (const segment of segments) total += segment.len;
  return total;
}

/**
 * The part of `segments` that covers bytes `[offset, offset + length)` of their concatenation,
 * clipped at the end of the segments.
 */
export function sliceSegments(segments: readonly Segment[], offset: number, length: number): Segment[] {
  const out: Segment[] = [];
  let skip = offset;
  let left = length;
  for (const segment of segments) {
    if (left <= 0) break;
    if (skip >= segment.len) {
      skip -= segment.len;
      continue;
    }
    const len = Math.min(segment.len - skip, left);
    out.push({ addr: segment.addr + skip, len });
    left -= len;
    skip = 0;
  }
  return out;
}

/** Zero-copy views of guest memory for each segment (zero-length segments are dropped). */
export function segmentViews(memory: GuestMemory, segments: readonly Segment[]): Uint8Array[] {
  const views: Uint8Array[] = [];
  for (const segment of segments) if (segment.len > 0) views.push(memory.bytes(segment.addr, segment.len));
  return views;
}

/**
 * Copies bytes `[offset, offset + dest.length)` of the segments' concatenation into `dest`.
 * Returns the number of bytes copied (less when the segments end first).
 */
export function gatherFrom(memory: GuestMemory, segments: readonly Segment[], offset: number, dest: Uint8Array): number {
  let done = 0;
  for (const part of sliceSegments(segments, offset, dest.length)) {
    dest.set(memory.bytes(part.addr, part.len), done);
    done += part.len;
  }
  return done;
}

/**
 * Copies `source` into the segments' concatenation starting at byte `offset`. Returns the number
 * of bytes written (less when the segments end first).
 */
export function scatterInto(memory: GuestMemory, segments: readonly Segment[], offset: number, source: Uint8Array): number {
  let done = 0;
  for (const part of sliceSegments(segments, offset, source.length)) {
    memory.bytes(part.addr, part.len).set(source.subarray(done, done + part.len));
    done += part.len;
  }
  return done;
}
