/**
 * Pages of a file that shared memory mappings hold (the kernel's page cache for the file). Stores
 * through a mapping land in these pages, not in the file, so the file's reads, writes and length
 * changes go through them to stay coherent with the mappings, as one page per file offset does
 * on Linux.
 */
export interface MappedPages {
  /** Copies the mapped pages' bytes over `data`, which holds the file's bytes at `position`. */
  overlay(data: Uint8Array, position: number): void;
  /** The file's bytes at `position` became `data`; the file was `oldSize` bytes long before. */
  written(data: Uint8Array, position: number, oldSize: number): void;
  /** The file's length changed from `oldSize` to `newSize` (truncate). */
  resized(oldSize: number, newSize: number): void;
  /** Writes the mapped pages into the file (before fsync, or before the data moves elsewhere). */
  flush(): void;
}
