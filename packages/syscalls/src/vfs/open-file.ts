import type { Tfs } from "@nanots/tfs";
import { Tuple } from "@nanots/tuple";
import type { MappedPages } from "./mapped-pages.js";

const SECTOR = 512;

/**
 * A regular file that is open: the VFS's inode for it. It reaches the data through TFS by its
 * current path; when the last name goes away while it is open (unlink, or rename over it) the
 * VFS detaches it: the data moves into memory and stays readable and writable until the last
 * close, as on Linux.
 */
export class OpenFile {
  /** The file's metadata tuple (identity, length, extents); a new one when an unnamed file gets a name. */
  tuple: Tuple;
  /** An `O_TMPFILE` file opened without `O_EXCL`: `linkat` may give it a name. */
  linkable = false;
  /** Its current absolute path; undefined once detached. */
  path: string | undefined;
  /** Open-file descriptions (and page caches of mappings) referring to it: see {@link ref}. */
  opens = 0;
  /** The pages shared mappings of it hold, which its reads, writes and truncation keep coherent. */
  pages: MappedPages | undefined;
  /** Called when the last reference goes ({@link unref}). */
  onUnused: (() => void) | undefined;
  readonly #fs: Tfs;
  #detached: Uint8Array | undefined;
  #detachedSize = 0;

  constructor(fs: Tfs, tuple: Tuple, path: string) {
    this.#fs = fs;
    this.tuple = tuple;
    this.path = path;
  }

  /** A file without a name from the start (`O_TMPFILE`): its data lives in memory until the last close. */
  static unnamed(fs: Tfs, linkable: boolean): OpenFile {
    const file = new OpenFile(fs, new Tuple(), "");
    file.path = undefined;
    file.#detached = new Uint8Array(0);
    file.linkable = linkable;
    return file;
  }

  /** Takes a reference: an open description, or a mapping's pages. */
  ref(): void {
    this.opens++;
  }

  /** Drops a reference; the last one calls {@link onUnused}. */
  unref(): void {
    if (--this.opens === 0) this.onUnused?.();
  }

  /** Gives a linkable unnamed file the name `path`: its data moves into TFS there, under `tuple` (found by `find`). */
  name(path: string, find: (path: string) => Tuple): void {
    this.pages?.flush();
    this.#fs.writeFile(path, this.#detached!.subarray(0, this.#detachedSize));
    this.tuple = find(path);
    this.path = path;
    this.#detached = undefined;
    this.linkable = false;
  }

  /** True once no name refers to it. */
  get detached(): boolean {
    return this.path === undefined;
  }

  /** Moves the data into memory and forgets the path (before the name is removed). */
  detach(): void {
    if (this.path === undefined) return;
    this.pages?.flush();
    const data = this.#fs.readFile(this.path);
    this.#detached = data;
    this.#detachedSize = data.length;
    this.path = undefined;
  }

  /** Length in bytes. */
  size(): number {
    return this.path === undefined ? this.#detachedSize : (this.tuple.getNumber("filelength") ?? 0);
  }

  /** Up to `length` bytes at `position` (fewer at the end), as mappings of it see them. */
  read(length: number, position: number): Uint8Array {
    const data = this.readStored(length, position);
    this.pages?.overlay(data, position);
    return data;
  }

  /** Up to `length` bytes at `position` as stored, without what mappings changed since. */
  readStored(length: number, position: number): Uint8Array {
    if (this.path !== undefined) return this.#fs.read(this.path, position, length);
    const from = Math.min(position, this.#detachedSize);
    return this.#detached!.slice(from, Math.min(this.#detachedSize, from + length));
  }

  /** Writes `data` at `position` (a gap before it becomes a hole of zeros); mappings see it. */
  write(data: Uint8Array, position: number): void {
    const oldSize = this.size();
    this.writeStored(data, position);
    this.pages?.written(data, position, oldSize);
  }

  /** Writes `data` at `position` to the stored file only (a mapping's pages going back). */
  writeStored(data: Uint8Array, position: number): void {
    if (this.path !== undefined) {
      this.#fs.write(this.path, data, position);
      return;
    }
    this.#reserve(position + data.length);
    this.#detached!.set(data, position);
    this.#detachedSize = Math.max(this.#detachedSize, position + data.length);
  }

  /** Sets the length (shrinking drops data, growing adds zeros); mappings lose pages past the end. */
  truncate(length: number): void {
    const oldSize = this.size();
    if (this.path !== undefined) this.#fs.truncate(this.path, length);
    else {
      this.#reserve(length);
      this.#detached!.fill(0, Math.min(length, this.#detachedSize), this.#detached!.length);
      this.#detachedSize = length;
    }
    this.pages?.resized(oldSize, length);
  }

  #reserve(length: number): void {
    const buf = this.#detached!;
    if (length <= buf.length) return;
    const grown = new Uint8Array(Math.max(length, buf.length * 2));
    grown.set(buf.subarray(0, this.#detachedSize));
    this.#detached = grown;
  }

  /**
   * The byte ranges holding data, sorted and clipped to the length: the file's extents (an
   * `uninited` extent is a hole, as an unwritten extent is on Linux). A detached file is all data.
   */
  dataRanges(): Array<[start: number, end: number]> {
    const size = this.size();
    if (this.path === undefined) return size > 0 ? [[0, size]] : [];
    const ranges: Array<[number, number]> = [];
    for (const [key, value] of this.tuple.getTuple("extents") ?? []) {
      if (!(value instanceof Tuple) || value.has("uninited")) continue;
      const start = Number(key.name) * SECTOR;
      const end = Math.min(size, start + (value.getNumber("length") ?? 0) * SECTOR);
      if (Number.isSafeInteger(start) && start < end) ranges.push([start, end]);
    }
    return ranges.sort((a, b) => a[0] - b[0]);
  }
}
