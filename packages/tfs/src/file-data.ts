import { intern, Tuple, type Value } from "@nanots/tuple";
import type { BlockDevice } from "./block-device.js";
import { MAX_EXTENT_SECTORS, SECTOR_SIZE } from "./constants.js";
import { ExtentMap } from "./extent-map.js";
import { extentTuple, parseExtents, readExtents, type Extent } from "./file-extents.js";
import { FsError } from "./fs-error.js";
import type { SectorAllocator, SectorRun } from "./sector-allocator.js";
import { fileLength, kindOf } from "./stats.js";
import { TfsError } from "./tfs-error.js";

/** File content read piece by piece (a host file), for {@link Tfs.populate}. */
export interface ContentSource {
  /** Length in bytes. */
  readonly size: number;
  /** Fills `target` with the bytes at `position`; returns how many it could read. */
  read(position: number, target: Uint8Array): number;
}

/** What {@link FileData} needs from the filesystem around it. */
export interface FileDataHost {
  readonly device: BlockDevice;
  readonly allocator: SectorAllocator;
  /** Logs and applies `entity.attribute = value` (absent deletes). */
  set(entity: Tuple, attribute: string, value: Value | undefined): void;
  /** Runs before each data allocation (Nanos reserves log space first). */
  beforeAllocate(syscall: string, path: string): void;
}

const CHILDREN = intern("children");
const EXTENTS = intern("extents");
const FILELENGTH = intern("filelength");
/** Largest single device write when copying file data (8 MiB). */
const WRITE_CHUNK_SECTORS = 16384;

/**
 * The data of regular files: extent maps, reads, and copy-on-write writes. New data always
 * goes to freshly allocated sectors; the sectors it replaces are only handed back to the
 * allocator by {@link releasePending}, after the records that stop using them are durable.
 */
export class FileData {
  readonly #host: FileDataHost;
  readonly #extents = new WeakMap<Tuple, ExtentMap>();
  readonly #normalized = new WeakSet<Tuple>();
  #pendingFree: SectorRun[] = [];

  constructor(host: FileDataHost) {
    this.#host = host;
  }

  /** The file's extent map, parsed once and then kept up to date. */
  extentMap(file: Tuple, path: string): ExtentMap {
    let map = this.#extents.get(file);
    if (map === undefined) {
      const extents = file.get(EXTENTS);
      map = ExtentMap.from(extents instanceof Tuple ? parseExtents(extents, this.#host.device.sectorCount, path) : [], path);
      this.#extents.set(file, map);
    }
    return map;
  }

  /** File bytes [position, position + length) (the caller clips to the file length). */
  read(file: Tuple, position: number, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    // From a sector boundary, read whole sectors in one go (no bounce buffer for the last,
    // partial one), then clear what lies past the range so no stale bytes hide in the buffer.
    const whole = position % SECTOR_SIZE === 0 ? Math.ceil(length / SECTOR_SIZE) * SECTOR_SIZE : length;
    const out = new Uint8Array(whole);
    const extents = this.extentMap(file, "").overlapping(Math.floor(position / SECTOR_SIZE), Math.ceil((position + length) / SECTOR_SIZE));
    readExtents(this.#host.device, extents, position, out);
    out.fill(0, length);
    return whole === length ? out : out.subarray(0, length);
  }

  /**
   * Establishes what the writer relies on: no data past `filelength` (Nanos truncation leaves
   * extents and stale bytes there, which a later growth must not resurrect).
   */
  normalize(file: Tuple, path: string): void {
    if (this.#normalized.has(file)) return;
    this.#normalized.add(file);
    if (!(file.get(EXTENTS) instanceof Tuple)) this.#host.set(file, "extents", new Tuple());
    this.extentMap(file, path);
    this.#dropBeyond(file, fileLength(file), path);
  }

  /** Drops data past `length`: extents beyond it, and the tail of its last partial sector. */
  #dropBeyond(file: Tuple, length: number, path: string): void {
    const lastSector = Math.ceil(length / SECTOR_SIZE);
    this.#punch(file, lastSector, Infinity, path);
    const tail = length % SECTOR_SIZE;
    if (tail !== 0) {
      const sector = lastSector - 1;
      const holder = this.extentMap(file, path).at(sector);
      if (holder !== undefined && !holder.uninited) {
        const current = this.read(file, sector * SECTOR_SIZE, SECTOR_SIZE);
        if (current.subarray(tail).some((b) => b !== 0)) {
          current.fill(0, tail);
          this.#writeSectors(file, sector, 1, fragmentSource([current]), path, "write");
        }
      }
    }
  }

  /** Sets the length: shrinking drops the data past it. */
  truncate(file: Tuple, length: number): void {
    const old = fileLength(file);
    if (length < old) this.#dropBeyond(file, length, "");
    if (length !== old || !file.has(FILELENGTH)) this.#host.set(file, "filelength", length);
  }

  /** Writes `data` at `position` (copy-on-write), growing the length if needed. */
  write(file: Tuple, data: Uint8Array, position: number, syscall: string, path: string): void {
    const old = fileLength(file);
    // An empty write changes nothing, not even the length (as pwrite of 0 bytes).
    const end = data.length > 0 ? position + data.length : 0;
    if (data.length > 0) {
      const s0 = Math.floor(position / SECTOR_SIZE);
      const s1 = Math.ceil(end / SECTOR_SIZE);
      const fragments: Uint8Array[] = [];
      const head = position % SECTOR_SIZE;
      let body = data;
      if (head !== 0 || (s1 - s0 === 1 && end % SECTOR_SIZE !== 0)) {
        // First sector: merge with what is there.
        const first = this.read(file, s0 * SECTOR_SIZE, Math.max(0, Math.min(SECTOR_SIZE, old - s0 * SECTOR_SIZE)));
        const sector = new Uint8Array(SECTOR_SIZE);
        sector.set(first);
        const n = Math.min(SECTOR_SIZE - head, data.length);
        sector.set(data.subarray(0, n), head);
        fragments.push(sector);
        body = data.subarray(n);
      }
      const whole = body.length - (body.length % SECTOR_SIZE);
      if (whole > 0) fragments.push(body.subarray(0, whole));
      if (whole < body.length) {
        const sector = new Uint8Array(SECTOR_SIZE);
        const at = end - (body.length - whole);
        const existing = this.read(file, at, Math.max(0, Math.min(SECTOR_SIZE, old - at)));
        sector.set(existing);
        sector.set(body.subarray(whole));
        fragments.push(sector);
      }
      this.#writeSectors(file, s0, s1 - s0, fragmentSource(fragments), path, syscall);
    }
    if (end > old) this.#host.set(file, "filelength", end);
    else if (!file.has(FILELENGTH)) this.#host.set(file, "filelength", old);
  }

  /** A new file with no data yet (its `extents` tuple is empty). */
  adopt(file: Tuple): void {
    this.#extents.set(file, new ExtentMap());
    this.#normalized.add(file);
  }

  /**
   * Fills an empty file from `content`, read at most 8 MiB at a time, and sets its length.
   * `onBytes` hears how many bytes are done.
   */
  stream(entry: Tuple, content: ContentSource, path: string, onBytes?: (done: number) => void): void {
    const size = content.size;
    if (size > 0) {
      const buffer = new Uint8Array(Math.min(WRITE_CHUNK_SECTORS, Math.ceil(size / SECTOR_SIZE)) * SECTOR_SIZE);
      let position = 0;
      this.#writeSectors(
        entry,
        0,
        Math.ceil(size / SECTOR_SIZE),
        (length) => {
          const view = buffer.subarray(0, length);
          const want = Math.min(length, size - position);
          const got = want > 0 ? content.read(position, view.subarray(0, want)) : 0;
          view.fill(0, got);
          position += want;
          onBytes?.(position);
          return [view];
        },
        path,
        "write",
      );
    }
    this.#host.set(entry, "filelength", size);
  }

  /**
   * Copy-on-write of whole sectors: allocates fresh space for file sectors [s0, s0 + count),
   * writes the bytes `next` hands out there (in chunks of at most 8 MiB), then replaces
   * whatever extents covered those sectors.
   */
  #writeSectors(file: Tuple, s0: number, count: number, next: ByteSource, path: string, syscall: string): void {
    const runs = this.#allocate(count, syscall, path);
    let fileSector = s0;
    const added: Extent[] = [];
    for (const run of runs) {
      for (let done = 0; done < run.count; done += WRITE_CHUNK_SECTORS) {
        const n = Math.min(WRITE_CHUNK_SECTORS, run.count - done);
        this.#host.device.write(run.start + done, next(n * SECTOR_SIZE));
      }
      added.push({ fileSector, length: run.count, disk: run.start, allocated: run.count, uninited: false });
      fileSector += run.count;
    }
    this.#punch(file, s0, s0 + count, path);
    const extents = file.get(EXTENTS) as Tuple;
    const map = this.extentMap(file, path);
    for (const e of added) {
      // Data that lands right after the previous extent on disk just lengthens it (appends).
      const prev = map.endingAt(e.fileSector);
      if (prev !== undefined && !prev.uninited && prev.allocated === prev.length && prev.disk + prev.length === e.disk && prev.length + e.length <= MAX_EXTENT_SECTORS) {
        map.grow(prev, e.length);
        this.#host.set(extents, keyOf(extents, prev), extentTuple(prev));
      } else {
        this.#host.set(extents, String(e.fileSector), extentTuple(e));
        map.add(e);
      }
    }
  }

  /** Fresh space for `count` sectors: one run if possible, in extents of at most 65 536 sectors. */
  #allocate(count: number, syscall: string, path: string): SectorRun[] {
    this.#host.beforeAllocate(syscall, path);
    const runs: SectorRun[] = [];
    const whole = this.#host.allocator.allocate(count);
    if (whole !== undefined) {
      for (let at = 0; at < count; at += MAX_EXTENT_SECTORS) runs.push({ start: whole + at, count: Math.min(MAX_EXTENT_SECTORS, count - at) });
      return runs;
    }
    let left = count;
    while (left > 0) {
      const run = this.#host.allocator.allocatePart(Math.min(left, MAX_EXTENT_SECTORS));
      if (run === undefined) {
        for (const r of runs) this.#host.allocator.free(r.start, r.count);
        throw new FsError("ENOSPC", syscall, path);
      }
      runs.push(run);
      left -= run.count;
    }
    return runs;
  }

  /** Removes file sectors [from, to) from the extent map; their space is freed after the next sync. */
  #punch(file: Tuple, from: number, to: number, path: string): void {
    const map = this.extentMap(file, path);
    const hit = map.overlapping(from, to);
    if (hit.length === 0) return;
    const extents = file.get(EXTENTS) as Tuple;
    for (const e of hit) {
      const eEnd = e.fileSector + e.length;
      const parts: Extent[] = [];
      if (e.fileSector < from) parts.push({ fileSector: e.fileSector, disk: e.disk, length: from - e.fileSector, allocated: from - e.fileSector, uninited: e.uninited });
      if (eEnd > to) parts.push({ fileSector: to, disk: e.disk + (to - e.fileSector), length: eEnd - to, allocated: eEnd - to, uninited: e.uninited });
      const key = keyOf(extents, e);
      if (parts[0]?.fileSector === e.fileSector) this.#host.set(extents, key, extentTuple(parts[0]));
      else this.#host.set(extents, key, undefined);
      for (const p of parts) if (p.fileSector !== e.fileSector) this.#host.set(extents, String(p.fileSector), extentTuple(p));
      // Free what no part keeps, including allocated-but-unused space past `length`.
      let at = e.disk;
      for (const p of parts) {
        if (p.disk > at) this.#pendingFree.push({ start: at, count: p.disk - at });
        at = p.disk + p.allocated;
      }
      if (e.disk + e.allocated > at) this.#pendingFree.push({ start: at, count: e.disk + e.allocated - at });
      map.remove(e);
      for (const p of parts) map.add(p);
    }
  }

  /** An entry leaves the tree: a file's space is freed after the next sync (unless hard-linked). */
  release(node: Tuple): void {
    const links = node.getNumber("nlink") ?? 1;
    if (links > 1) {
      this.#host.set(node, "nlink", links - 1);
      return;
    }
    if (kindOf(node) === "file") {
      for (const e of this.extentMap(node, "").all()) this.#pendingFree.push({ start: e.disk, count: e.allocated });
      this.#extents.set(node, new ExtentMap());
    }
  }

  /** Returns the space freed since the last call to the allocator (after a commit). */
  releasePending(): void {
    for (const r of this.#pendingFree) this.#host.allocator.free(r.start, r.count);
    this.#pendingFree = [];
  }

  /**
   * Marks every file extent under `root` as used (at mount).
   *
   * @throws {@link TfsError} for overlapping extents or a directory cycle.
   */
  claimAll(root: Tuple): void {
    const seen = new Set<Tuple>();
    const stack: Array<{ node: Tuple; path: string }> = [{ node: root, path: "" }];
    while (stack.length > 0) {
      const { node, path } = stack.pop()!;
      const kind = kindOf(node);
      if (kind === "directory") {
        if (seen.has(node)) throw new TfsError(`directory ${path || "/"} appears twice in the tree (a cycle)`);
        seen.add(node);
        for (const [name, child] of node.get(CHILDREN) as Tuple) {
          if (child instanceof Tuple) stack.push({ node: child, path: `${path}/${name.name}` });
        }
      } else if (kind === "file" && !seen.has(node)) {
        seen.add(node);
        for (const e of this.extentMap(node, path).all()) {
          if (!this.#host.allocator.claim(e.disk, e.allocated)) {
            throw new TfsError(`file ${path}: extent at sector ${e.disk} (${e.allocated} sectors) overlaps the log or another file`);
          }
        }
      }
    }
  }
}

/** The on-disk key of an extent (decimal text; an image may spell it differently). */
function keyOf(extents: Tuple, e: Extent): string {
  const canonical = String(e.fileSector);
  if (extents.has(canonical)) return canonical;
  for (const k of extents.keys()) if (/^[0-9]+$/.test(k.name) && Number(k.name) === e.fileSector) return k.name;
  return canonical;
}

/** Where the bytes of a sector write come from: each call hands out the next `length` bytes. */
type ByteSource = (length: number) => readonly Uint8Array[];

/** The bytes of a fragment list, handed out in order without copying. */
function fragmentSource(fragments: readonly Uint8Array[]): ByteSource {
  let fragment = 0;
  let offset = 0;
  return (length) => {
    const out: Uint8Array[] = [];
    while (length > 0) {
      const f = fragments[fragment]!;
      const n = Math.min(length, f.length - offset);
      out.push(f.subarray(offset, offset + n));
      length -= n;
      offset += n;
      if (offset === f.length) {
        fragment++;
        offset = 0;
      }
    }
    return out;
  };
}
