import { DESC_SIZE, MAX_QUEUE_SIZE } from "./virtio-constants.js";

/** Guest-physical addresses of the three parts of one split virtqueue. */
export interface QueueAddresses {
  /** Descriptor table (16-byte aligned, 16·N bytes). */
  readonly desc: number;
  /** Available ring, the "driver area" (2-byte aligned, 6 + 2·N bytes). */
  readonly avail: number;
  /** Used ring, the "device area" (4-byte aligned, 6 + 8·N bytes). */
  readonly used: number;
}

/** True for a valid split-queue size: a power of two from 1 to 32768. */
export function isValidQueueSize(size: number): boolean {
  return Number.isInteger(size) && size >= 1 && size <= MAX_QUEUE_SIZE && (size & (size - 1)) === 0;
}

/** Bytes of each part of a split queue of `size` entries, including the event-idx fields. */
export function ringPartSizes(size: number): { desc: number; avail: number; used: number } {
  return { desc: DESC_SIZE * size, avail: 6 + 2 * size, used: 6 + 8 * size };
}

/** Total bytes {@link layoutQueue} needs for a queue of `size` entries. */
export function queueFootprint(size: number): number {
  const parts = ringPartSizes(size);
  return alignUp(parts.desc + parts.avail, 4) + parts.used;
}

/**
 * Lays out a queue of `size` entries contiguously from `base` (which must be 16-byte aligned):
 * descriptors, then the available ring, then the used ring aligned to 4.
 */
export function layoutQueue(base: number, size: number): QueueAddresses {
  const parts = ringPartSizes(size);
  const avail = base + parts.desc;
  return { desc: base, avail, used: alignUp(avail + parts.avail, 4) };
}

/** Rounds `value` up to a multiple of the power of two `alignment`. */
export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
