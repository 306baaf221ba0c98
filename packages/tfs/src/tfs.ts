import { intern, Tuple, TupleCodec, type Value } from "@nanots/tuple";
import type { BlockDevice } from "./block-device.js";
import { COMPACTION_MIN_OBSOLETE, EXTENSION_SECTORS, MAX_EXTENT_SECTORS, SECTOR_SIZE } from "./constants.js";
import { extentTuple, parseExtents, readExtents, type Extent } from "./file-extents.js";
import { FsError, type FsErrorCode } from "./fs-error.js";
import { labelBytes, type TfsVersion } from "./log-header.js";
import { readLog, type LogExtension } from "./log-reader.js";
import { LogWriter } from "./log-writer.js";
import { pathComponents, resolvePath, type Resolved } from "./resolve-path.js";
import { FirstFitAllocator, type SectorAllocator, type SectorRun } from "./sector-allocator.js";
import { Dirent, fileLength, kindOf, Stats } from "./stats.js";
import { TfsError } from "./tfs-error.js";
import { toTimestamp } from "./timestamp.js";

/** Options of {@link Tfs.mount}. */
export interface MountOptions {
  /** Refuse every change (`EROFS`). Default false. */
  readOnly?: boolean;
  /**
   * Record `atime`/`mtime` on entries created or changed, as the Nanos kernel does. Default
   * true; `mkfs` turns it off (mkfs-made entries carry no timestamps).
   */
  timestamps?: boolean;
  /** The clock for timestamps (milliseconds since the epoch). Default `Date.now`. */
  now?: () => number;
  /** A sector allocator for the device's size, instead of the built-in first-fit one. */
  allocator?: (sectorCount: number) => SectorAllocator;
}

/** Options of {@link Tfs.format}. */
export interface FormatOptions extends Omit<MountOptions, "readOnly"> {
  /** Volume label, at most 31 bytes of UTF-8. Default "". */
  label?: string;
  /** 16-byte UUID. Default: random. */
  uuid?: Uint8Array;
  /** The root tuple; it must have `children`. Default `(children:())`. */
  root?: Tuple;
}

/** File content read piece by piece (a host file), for {@link Tfs.populate}. */
export interface ContentSource {
  /** Length in bytes. */
  readonly size: number;
  /** Fills `target` with the bytes at `position`; returns how many it could read. */
  read(position: number, target: Uint8Array): number;
}

/** Options of {@link Tfs.mkdir}. */
export interface MkdirOptions {
  /** Create missing parents, and do not fail if the directory exists. */
  recursive?: boolean;
}

/** Options of {@link Tfs.createReadStream}. */
export interface ReadStreamOptions {
  /** First byte (default 0). */
  start?: number;
  /** Last byte, inclusive, as in Node (default: end of file). */
  end?: number;
  /** Bytes per chunk (default 64 KiB). */
  highWaterMark?: number;
}

const MAX_READ_FILE = 2 ** 31 - 1;
/** Largest single device write when copying file data (8 MiB). */
const WRITE_CHUNK_SECTORS = 16384;
const CHILDREN = intern("children");
const EXTENTS = intern("extents");
const FILELENGTH = intern("filelength");
const LINKTARGET = intern("linktarget");

/**
 * A mounted TFS filesystem with a synchronous API modelled on Node's `fs`. Changes are applied
 * in memory at once, file data is written to freshly allocated sectors at once, and the
 * metadata records describing them are made durable by {@link sync} (or {@link close}), which
 * is crash safe: after a crash the image mounts with the state of the last completed sync.
 *
 * @example
 * ```ts
 * const fs = Tfs.mount(MemoryBlockDevice.from(image));
 * fs.mkdir("/etc", { recursive: true });
 * fs.writeFile("/etc/motd", "hello\n");
 * fs.sync();
 * new TextDecoder().decode(fs.readFile("/etc/motd")); // "hello\n"
 * ```
 */
export class Tfs {
  /** The device the filesystem lives on. */
  readonly device: BlockDevice;
  /** Version of the extension at sector 0 as mounted (4 or 5); new records are always v5. */
  readonly version: TfsVersion;
  /** The 16-byte volume UUID. */
  readonly uuid: Uint8Array;
  /** The volume label. */
  readonly label: string;
  readonly #timestamps: boolean;
  readonly #now: () => number;
  readonly #allocator: SectorAllocator;
  readonly #extents = new WeakMap<Tuple, Extent[]>();
  readonly #normalized = new WeakSet<Tuple>();
  #codec: TupleCodec;
  #root: Tuple;
  #writer: LogWriter | undefined;
  #log: LogExtension[];
  #records: Uint8Array[] = [];
  #pendingFree: SectorRun[] = [];
  #reserved: { extension?: number; log?: number } = {};

  private constructor(
    device: BlockDevice,
    init: { version: TfsVersion; uuid: Uint8Array; label: string; codec: TupleCodec; root: Tuple; log: LogExtension[] },
    options: MountOptions,
    allocator: SectorAllocator,
  ) {
    this.device = device;
    this.version = init.version;
    this.uuid = init.uuid;
    this.label = init.label;
    this.#codec = init.codec;
    this.#root = init.root;
    this.#log = init.log;
    this.#timestamps = options.timestamps !== false;
    this.#now = options.now ?? Date.now;
    this.#allocator = allocator;
  }

  /**
   * Mounts the filesystem on `device`: replays the log from sector 0, checks every extent, and
   * works out the free space.
   *
   * @throws {@link TfsError} when the image is damaged, naming what and where.
   */
  static mount(device: BlockDevice, options: MountOptions = {}): Tfs {
    const log = readLog(device);
    const allocator = (options.allocator ?? ((n: number) => new FirstFitAllocator(n)))(device.sectorCount);
    const fs = new Tfs(device, { ...log, log: log.extensions }, options, allocator);
    for (const e of log.extensions) {
      if (!allocator.claim(e.start, e.sectors)) throw new TfsError(`log extension at sector ${e.start} overlaps other log space`);
    }
    fs.#claimFileData(log.root);
    if (options.readOnly !== true) fs.#writer = LogWriter.resume(device, log, () => fs.#takeExtension());
    return fs;
  }

  /**
   * Creates a new filesystem on `device` (Nanos `mkfs -e` when given no root): sector 0, the
   * first log extension at sector 1, and the given root tuple (which the filesystem then owns).
   * Nothing is durable until the first {@link sync}.
   */
  static format(device: BlockDevice, options: FormatOptions = {}): Tfs {
    const uuid = options.uuid ?? globalThis.crypto.getRandomValues(new Uint8Array(16));
    if (uuid.length !== 16) throw new RangeError("a UUID has 16 bytes");
    const label = options.label ?? "";
    labelBytes(label);
    const root = options.root ?? Tuple.from({ children: {} });
    if (!(root.get(CHILDREN) instanceof Tuple)) throw new RangeError("the root tuple must have a children tuple");
    const allocator = (options.allocator ?? ((n: number) => new FirstFitAllocator(n)))(device.sectorCount);
    if (!allocator.claim(0, 1)) throw new RangeError("sector 0 is not free");
    const first = allocator.allocate(EXTENSION_SECTORS);
    if (first === undefined) throw new FsError("ENOSPC", "mkfs", "/");
    const codec = new TupleCodec();
    const fs = new Tfs(device, { version: 5, uuid, label, codec, root, log: [] }, options, allocator);
    fs.#writer = LogWriter.create(device, { uuid, label }, first, () => fs.#takeExtension());
    fs.#log = fs.#writer.extensions;
    fs.#records.push(codec.encodeTuple(root));
    return fs;
  }

  /** The root tuple: the whole metadata tree, including configuration keys. Do not modify it. */
  get root(): Tuple {
    return this.#root;
  }

  /** The log chain as it is now (sector 0 first). */
  get logExtensions(): LogExtension[] {
    return this.#writer?.extensions ?? this.#log;
  }

  /** Free sectors (not counting space reserved for the log). */
  get freeSectors(): number {
    return this.#allocator.freeSectors;
  }

  /** Log entries written or read, and how many of them later changes made obsolete. */
  get logEntries(): { total: number; obsolete: number } {
    return { total: this.#codec.total, obsolete: this.#codec.obsolete };
  }

  // ---- reading -------------------------------------------------------------------------

  /** True when the path resolves (following symlinks). */
  exists(path: string): boolean {
    try {
      return this.#resolve(path, "stat", true).node !== undefined;
    } catch (e) {
      if (e instanceof FsError) return false;
      throw e;
    }
  }

  /** Metadata of the entry, following symlinks. */
  stat(path: string): Stats {
    return this.#stats(this.#existing(path, "stat", true));
  }

  /** Metadata of the entry itself (a symlink is not followed). */
  lstat(path: string): Stats {
    return this.#stats(this.#existing(path, "lstat", false));
  }

  /** The names in a directory, sorted by their UTF-8 bytes. */
  readdir(path: string): string[];
  /** The entries of a directory with their kinds. */
  readdir(path: string, options: { withFileTypes: true }): Dirent[];
  readdir(path: string, options?: { withFileTypes?: boolean }): string[] | Dirent[] {
    const children = this.#directoryChildren(this.#existing(path, "scandir", true), "scandir", path);
    const names = [...children.keys()].sort((a, b) => compareBytes(a.bytes, b.bytes));
    if (options?.withFileTypes !== true) return names.map((s) => s.name);
    return names.map((s) => {
      const child = children.get(s);
      return new Dirent(s.name, child instanceof Tuple ? kindOf(child) : "other", path);
    });
  }

  /** The whole content of a file. */
  readFile(path: string): Uint8Array {
    const file = this.#file(path, "open");
    const length = fileLength(file);
    // As Node's readFile: one buffer cannot hold more than 2 GiB; use read() or a stream.
    if (length > MAX_READ_FILE) throw new FsError("EFBIG", "read", path);
    return this.#readRange(file, 0, length);
  }

  /**
   * Up to `length` bytes of a file from `position` (fewer at the end of the file). Holes and
   * space past the data read as zeros.
   */
  read(path: string, position: number, length: number): Uint8Array {
    checkRange(position, length, "read", path);
    const file = this.#file(path, "read");
    const size = fileLength(file);
    const from = Math.min(position, size);
    return this.#readRange(file, from, Math.min(length, size - from));
  }

  /** The target of a symlink. */
  readlink(path: string): string {
    const node = this.#existing(path, "readlink", false);
    const target = node.get(LINKTARGET);
    if (target === undefined) throw new FsError("EINVAL", "readlink", path);
    return target.toString();
  }

  /** A web `ReadableStream` of a file's bytes (`start`/`end` inclusive, as Node's). */
  createReadStream(path: string, options: ReadStreamOptions = {}): ReadableStream<Uint8Array> {
    const file = this.#file(path, "open");
    const chunk = options.highWaterMark ?? 65536;
    let at = options.start ?? 0;
    const stop = Math.min(fileLength(file), options.end === undefined ? Infinity : options.end + 1);
    return new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (at >= stop) {
          controller.close();
          return;
        }
        const n = Math.min(chunk, stop - at);
        controller.enqueue(this.#readRange(file, at, n));
        at += n;
      },
    });
  }

  // ---- writing -------------------------------------------------------------------------

  /** Creates or replaces a file with `data` (a string is written as UTF-8). */
  writeFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const file = this.#fileForWrite(path, "open", true);
    if (fileLength(file) > 0) this.#truncate(file, 0);
    this.#writeRange(file, bytes, 0, "write", path);
  }

  /** Writes `data` into a file at `position` (creating the file; a gap before it reads as zeros). */
  write(path: string, data: Uint8Array, position: number): void {
    checkRange(position, data.length, "write", path);
    this.#writeRange(this.#fileForWrite(path, "open", true), data, position, "write", path);
  }

  /** Appends to a file, creating it if needed. */
  appendFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const file = this.#fileForWrite(path, "open", true);
    this.#writeRange(file, bytes, fileLength(file), "write", path);
  }

  /** Sets a file's length: shrinking drops the data past it, growing adds a hole of zeros. */
  truncate(path: string, length = 0): void {
    checkRange(length, 0, "ftruncate", path);
    const file = this.#fileForWrite(path, "open", false);
    this.#truncate(file, length);
  }

  /**
   * Creates a directory. With `recursive`, creates missing parents and returns the first
   * directory created (undefined if all existed), as Node does.
   */
  mkdir(path: string, options: MkdirOptions = {}): string | undefined {
    this.#writable("mkdir", path);
    if (options.recursive === true) {
      const parts = pathComponents(path);
      let first: string | undefined;
      for (let i = 1; i <= parts.length; i++) {
        const sub = `/${parts.slice(0, i).join("/")}`;
        const r = this.#resolve(sub, "mkdir", true);
        if (r.node === undefined) {
          this.#mkdirAt(r, sub);
          first ??= sub;
        } else if (kindOf(r.node) !== "directory") {
          throw new FsError(i === parts.length ? "EEXIST" : "ENOTDIR", "mkdir", path);
        }
      }
      return first;
    }
    const r = this.#resolve(path, "mkdir", false);
    if (r.node !== undefined) throw new FsError("EEXIST", "mkdir", path);
    this.#mkdirAt(r, path);
    return undefined;
  }

  /** Removes an empty directory. */
  rmdir(path: string): void {
    this.#writable("rmdir", path);
    const r = this.#resolve(path, "rmdir", false);
    if (r.node === undefined) throw new FsError("ENOENT", "rmdir", path);
    if (r.parent === undefined) throw new FsError("EPERM", "rmdir", path);
    const children = this.#directoryChildren(r.node, "rmdir", path);
    if (children.count > 0) throw new FsError("ENOTEMPTY", "rmdir", path);
    this.#set(this.#childrenOf(r.parent), r.name, undefined);
  }

  /** Removes a file, symlink or other non-directory entry. */
  unlink(path: string): void {
    this.#writable("unlink", path);
    const r = this.#resolve(path, "unlink", false);
    if (r.node === undefined) throw new FsError("ENOENT", "unlink", path);
    if (r.parent === undefined || kindOf(r.node) === "directory") throw new FsError("EISDIR", "unlink", path);
    this.#set(this.#childrenOf(r.parent), r.name, undefined);
    this.#release(r.node);
  }

  /**
   * Moves an entry. An existing destination is replaced (a file by a non-directory, an empty
   * directory by a directory), as POSIX `rename` does.
   */
  rename(from: string, to: string): void {
    this.#writable("rename", from);
    const src = this.#resolve(from, "rename", false);
    if (src.node === undefined || src.parent === undefined) throw new FsError(src.node === undefined ? "ENOENT" : "EPERM", "rename", from, to);
    const dst = this.#resolve(to, "rename", false);
    if (dst.parent === undefined) throw new FsError("EPERM", "rename", from, to);
    if (dst.node === src.node) return;
    const moving = src.node;
    const isDir = kindOf(moving) === "directory";
    if (isDir && (dst.ancestors.includes(moving) || dst.parent === moving)) throw new FsError("EINVAL", "rename", from, to);
    if (dst.node !== undefined) {
      const replacedDir = kindOf(dst.node) === "directory";
      if (isDir && !replacedDir) throw new FsError("ENOTDIR", "rename", from, to);
      if (!isDir && replacedDir) throw new FsError("EISDIR", "rename", from, to);
      if (replacedDir && this.#childrenOf(dst.node).count > 0) throw new FsError("ENOTEMPTY", "rename", from, to);
    }
    const replaced = dst.node;
    // As the Nanos kernel logs it: the new name first (restating the moved tuple), then the delete.
    this.#set(this.#childrenOf(dst.parent), dst.name, moving);
    this.#set(this.#childrenOf(src.parent), src.name, undefined);
    if (replaced !== undefined) this.#release(replaced);
  }

  /** Creates a symlink at `path` pointing to `target`. */
  symlink(target: string, path: string): void {
    this.#writable("symlink", path);
    const r = this.#resolve(path, "symlink", false);
    if (r.node !== undefined) throw new FsError("EEXIST", "symlink", target, path);
    const link = new Tuple();
    link.set(LINKTARGET, target);
    this.#stamp(link);
    this.#set(this.#childrenOf(r.parent!), r.name, link);
  }

  /** Sets access and modification times (following symlinks). */
  utimes(path: string, atime: Date | number, mtime: Date | number): void {
    this.#writable("utime", path);
    const node = this.#existing(path, "utime", true);
    this.#set(node, "atime", toTimestamp(atime));
    this.#set(node, "mtime", toTimestamp(mtime));
  }

  /**
   * Makes every change so far durable: appends the pending log records crash-safely, then
   * returns the space freed by those changes to the allocator, and compacts the log when Nanos
   * would (at least 8192 obsolete entries, and at least half of all entries obsolete).
   */
  sync(): void {
    if (this.#writer === undefined) return;
    this.#writer.commit(this.#records);
    this.#records = [];
    this.#log = this.#writer.extensions;
    this.#releasePending();
    const { total, obsolete } = this.#codec;
    if (obsolete >= COMPACTION_MIN_OBSOLETE && total <= 2 * obsolete) {
      try {
        this.compact();
      } catch (e) {
        // No room for a new log: the changes are committed; compaction waits for space.
        if (!(e instanceof FsError && e.code === "ENOSPC")) throw e;
      }
    }
  }

  /**
   * Rewrites the log as one record holding the whole tree (Nanos `filesystem_log_rebuild`), in
   * a fresh extension, switches sector 0 to it, and frees the old extensions. Pending changes
   * are synced first. Throws `ENOSPC` (leaving the old log in place) when there is no room.
   */
  compact(): void {
    if (this.#writer === undefined) throw new FsError("EROFS", "compact", "/");
    if (this.#records.length > 0) this.#writer.commit(this.#records);
    this.#records = [];
    const old = this.#writer.extensions.slice(1);
    const taken = [this.#takeLogSpace("log")];
    const codec = new TupleCodec();
    const writer = LogWriter.create(this.device, { uuid: this.uuid, label: this.label }, taken[0]!, () => {
      taken.push(this.#takeExtension());
      return taken[taken.length - 1]!;
    });
    try {
      writer.commit([codec.encodeTuple(this.#root)]);
    } catch (e) {
      // Sector 0 was not rewritten: the old log stands; give the new areas back.
      for (const start of taken) this.#allocator.free(start, EXTENSION_SECTORS);
      throw e;
    }
    this.#codec = codec;
    this.#writer = writer;
    this.#log = writer.extensions;
    for (const e of old) this.#allocator.free(e.start, e.sectors);
    this.#releasePending();
  }

  /** Syncs. The device stays open (close a file device yourself). */
  close(): void {
    this.sync();
  }

  /**
   * Gives an entry tuple that is already in the tree the content `data`, logged as C mkfs logs
   * it: `entry.extents = ()`, one record per extent, then `entry.filelength`.
   *
   * @internal For {@link mkfs}; use {@link writeFile} otherwise.
   */
  populate(entry: Tuple, content: Uint8Array | ContentSource, path: string, onBytes?: (done: number) => void): void {
    this.#writable("open", path);
    this.#set(entry, "extents", new Tuple());
    this.#extents.set(entry, []);
    this.#normalized.add(entry);
    if (content instanceof Uint8Array) {
      this.#writeRange(entry, content, 0, "write", path);
      onBytes?.(content.length);
      return;
    }
    // Streamed: at most 8 MiB of the content in memory at a time.
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
    this.#set(entry, "filelength", size);
  }

  // ---- internals: paths ----------------------------------------------------------------

  #resolve(path: string, syscall: string, followLast: boolean): Resolved {
    return resolvePath(this.#root, path, syscall, followLast);
  }

  #existing(path: string, syscall: string, follow: boolean): Tuple {
    const node = this.#resolve(path, syscall, follow).node;
    if (node === undefined) throw new FsError("ENOENT", syscall, path);
    return node;
  }

  #file(path: string, syscall: string): Tuple {
    const node = this.#existing(path, syscall, true);
    const kind = kindOf(node);
    if (kind === "directory") throw new FsError("EISDIR", syscall, path);
    if (kind !== "file") throw new FsError("EINVAL", syscall, path);
    return node;
  }

  #fileForWrite(path: string, syscall: string, create: boolean): Tuple {
    this.#writable(syscall, path);
    const r = this.#resolve(path, syscall, true);
    if (r.node !== undefined) {
      const file = this.#file(path, syscall);
      this.#normalize(file, path);
      return file;
    }
    if (!create || r.parent === undefined) throw new FsError("ENOENT", syscall, path);
    const file = new Tuple();
    file.set(EXTENTS, new Tuple());
    this.#stamp(file);
    this.#set(this.#childrenOf(r.parent), r.name, file);
    this.#extents.set(file, []);
    this.#normalized.add(file);
    return file;
  }

  #directoryChildren(node: Tuple, syscall: string, path: string): Tuple {
    const children = node.get(CHILDREN);
    if (!(children instanceof Tuple)) throw new FsError("ENOTDIR", syscall, path);
    return children;
  }

  #childrenOf(dir: Tuple): Tuple {
    return dir.get(CHILDREN) as Tuple;
  }

  #mkdirAt(r: Resolved, path: string): void {
    if (r.parent === undefined) throw new FsError("EEXIST", "mkdir", path);
    const dir = new Tuple();
    dir.set(CHILDREN, new Tuple());
    this.#stamp(dir);
    this.#set(this.#childrenOf(r.parent), r.name, dir);
  }

  #writable(syscall: string, path: string): void {
    if (this.#writer === undefined) throw new FsError("EROFS", syscall, path);
  }

  #stats(node: Tuple): Stats {
    const kind = kindOf(node);
    if (kind === "file") {
      const blocks = this.#extentList(node, "").reduce((n, e) => n + e.allocated, 0);
      return new Stats(kind, fileLength(node), blocks, node);
    }
    return new Stats(kind, kind === "symlink" ? new TextEncoder().encode(node.get(LINKTARGET)!.toString()).length : 0, 0, node);
  }

  // ---- internals: metadata records -----------------------------------------------------

  /** Logs and applies `entity.attribute = value` (absent deletes). */
  #set(entity: Tuple, attribute: string, value: Value | undefined): void {
    this.#records.push(this.#codec.encodeEav(entity, attribute, value));
    entity.set(attribute, value);
  }

  #stamp(node: Tuple): void {
    if (!this.#timestamps) return;
    const now = toTimestamp(this.#now());
    node.set("atime", now);
    node.set("mtime", now);
  }

  #touch(node: Tuple): void {
    if (this.#timestamps) this.#set(node, "mtime", toTimestamp(this.#now()));
  }

  // ---- internals: file data ------------------------------------------------------------

  #extentList(file: Tuple, path: string): Extent[] {
    let list = this.#extents.get(file);
    if (list === undefined) {
      const extents = file.get(EXTENTS);
      list = extents instanceof Tuple ? parseExtents(extents, this.device.sectorCount, path) : [];
      this.#extents.set(file, list);
    }
    return list;
  }

  #readRange(file: Tuple, position: number, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    // From a sector boundary, read whole sectors in one go (no bounce buffer for the last,
    // partial one), then clear what lies past the range so no stale bytes hide in the buffer.
    const whole = position % SECTOR_SIZE === 0 ? Math.ceil(length / SECTOR_SIZE) * SECTOR_SIZE : length;
    const out = new Uint8Array(whole);
    readExtents(this.device, this.#extentList(file, ""), position, out);
    out.fill(0, length);
    return whole === length ? out : out.subarray(0, length);
  }

  /**
   * Establishes what the writer relies on: no data past `filelength` (Nanos truncation leaves
   * extents and stale bytes there, which a later growth must not resurrect).
   */
  #normalize(file: Tuple, path: string): void {
    if (this.#normalized.has(file)) return;
    this.#normalized.add(file);
    if (!(file.get(EXTENTS) instanceof Tuple)) this.#set(file, "extents", new Tuple());
    this.#extentList(file, path);
    this.#dropBeyond(file, fileLength(file), path);
  }

  /** Drops data past `length`: extents beyond it, and the tail of its last partial sector. */
  #dropBeyond(file: Tuple, length: number, path: string): void {
    const lastSector = Math.ceil(length / SECTOR_SIZE);
    this.#punch(file, lastSector, Infinity, path);
    const tail = length % SECTOR_SIZE;
    if (tail !== 0) {
      const sector = lastSector - 1;
      const covered = this.#extentList(file, path).some((e) => !e.uninited && e.fileSector <= sector && sector < e.fileSector + e.length);
      if (covered) {
        const current = this.#readRange(file, sector * SECTOR_SIZE, SECTOR_SIZE);
        if (current.subarray(tail).some((b) => b !== 0)) {
          current.fill(0, tail);
          this.#writeSectors(file, sector, 1, fragmentSource([current]), path, "write");
        }
      }
    }
  }

  #truncate(file: Tuple, length: number): void {
    const old = fileLength(file);
    if (length < old) this.#dropBeyond(file, length, "");
    if (length !== old || !file.has(FILELENGTH)) this.#set(file, "filelength", length);
    this.#touch(file);
  }

  #writeRange(file: Tuple, data: Uint8Array, position: number, syscall: string, path: string): void {
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
        const first = this.#readRange(file, s0 * SECTOR_SIZE, Math.max(0, Math.min(SECTOR_SIZE, old - s0 * SECTOR_SIZE)));
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
        const existing = this.#readRange(file, at, Math.max(0, Math.min(SECTOR_SIZE, old - at)));
        sector.set(existing);
        sector.set(body.subarray(whole));
        fragments.push(sector);
      }
      this.#writeSectors(file, s0, s1 - s0, fragmentSource(fragments), path, syscall);
    }
    if (end > old) this.#set(file, "filelength", end);
    else if (!file.has(FILELENGTH)) this.#set(file, "filelength", old);
    this.#touch(file);
  }

  /**
   * Copy-on-write of whole sectors: allocates fresh space for file sectors [s0, s0 + count),
   * writes the bytes `next` hands out there (in chunks of at most 8 MiB), then replaces
   * whatever extents covered those sectors.
   */
  #writeSectors(file: Tuple, s0: number, count: number, next: ByteSource, path: string, syscall: string): void {
    const runs = this.#allocateData(count, syscall, path);
    let fileSector = s0;
    const added: Extent[] = [];
    for (const run of runs) {
      for (let done = 0; done < run.count; done += WRITE_CHUNK_SECTORS) {
        const n = Math.min(WRITE_CHUNK_SECTORS, run.count - done);
        this.device.write(run.start + done, next(n * SECTOR_SIZE));
      }
      added.push({ fileSector, length: run.count, disk: run.start, allocated: run.count, uninited: false });
      fileSector += run.count;
    }
    this.#punch(file, s0, s0 + count, path);
    const extents = file.get(EXTENTS) as Tuple;
    const list = this.#extentList(file, path);
    for (const e of added) {
      // Data that lands right after the previous extent on disk just lengthens it (appends).
      const prev = list.find((p) => p.fileSector + p.length === e.fileSector);
      if (prev !== undefined && !prev.uninited && prev.allocated === prev.length && prev.disk + prev.length === e.disk && prev.length + e.length <= MAX_EXTENT_SECTORS) {
        prev.length += e.length;
        prev.allocated += e.length;
        this.#set(extents, keyOf(extents, prev), extentTuple(prev));
      } else {
        this.#set(extents, String(e.fileSector), extentTuple(e));
        list.push(e);
      }
    }
    list.sort((a, b) => a.fileSector - b.fileSector);
  }

  /** Fresh space for `count` sectors: one run if possible, in extents of at most 65 536 sectors. */
  #allocateData(count: number, syscall: string, path: string): SectorRun[] {
    this.#reserveLogSpace(syscall, path);
    const runs: SectorRun[] = [];
    const whole = this.#allocator.allocate(count);
    if (whole !== undefined) {
      for (let at = 0; at < count; at += MAX_EXTENT_SECTORS) runs.push({ start: whole + at, count: Math.min(MAX_EXTENT_SECTORS, count - at) });
      return runs;
    }
    let left = count;
    while (left > 0) {
      const run = this.#allocator.allocatePart(Math.min(left, MAX_EXTENT_SECTORS));
      if (run === undefined) {
        for (const r of runs) this.#allocator.free(r.start, r.count);
        throw new FsError("ENOSPC", syscall, path);
      }
      runs.push(run);
      left -= run.count;
    }
    return runs;
  }

  /** Removes file sectors [from, to) from the extent map; their space is freed after the next sync. */
  #punch(file: Tuple, from: number, to: number, path: string): void {
    const list = this.#extentList(file, path);
    if (!list.some((e) => e.fileSector < to && e.fileSector + e.length > from)) return;
    const extents = file.get(EXTENTS) as Tuple;
    const kept: Extent[] = [];
    for (const e of list) {
      const eEnd = e.fileSector + e.length;
      if (eEnd <= from || e.fileSector >= to) {
        kept.push(e);
        continue;
      }
      const parts: Extent[] = [];
      if (e.fileSector < from) parts.push({ ...e, length: from - e.fileSector, allocated: from - e.fileSector });
      if (eEnd > to) parts.push({ ...e, fileSector: to, disk: e.disk + (to - e.fileSector), length: eEnd - to, allocated: eEnd - to });
      const key = keyOf(extents, e);
      if (parts[0]?.fileSector === e.fileSector) this.#set(extents, key, extentTuple(parts[0]));
      else this.#set(extents, key, undefined);
      for (const p of parts) if (p.fileSector !== e.fileSector) this.#set(extents, String(p.fileSector), extentTuple(p));
      // Free what no part keeps, including allocated-but-unused space past `length`.
      let at = e.disk;
      for (const p of parts) {
        if (p.disk > at) this.#pendingFree.push({ start: at, count: p.disk - at });
        at = p.disk + p.allocated;
      }
      if (e.disk + e.allocated > at) this.#pendingFree.push({ start: at, count: e.disk + e.allocated - at });
      kept.push(...parts);
    }
    kept.sort((a, b) => a.fileSector - b.fileSector);
    this.#extents.set(file, kept);
  }

  /** An entry leaves the tree: a file's space is freed after the next sync (unless hard-linked). */
  #release(node: Tuple): void {
    const links = node.getNumber("nlink") ?? 1;
    if (links > 1) {
      this.#set(node, "nlink", links - 1);
      return;
    }
    if (kindOf(node) === "file") {
      for (const e of this.#extentList(node, "")) this.#pendingFree.push({ start: e.disk, count: e.allocated });
      this.#extents.set(node, []);
    }
  }

  #releasePending(): void {
    for (const r of this.#pendingFree) this.#allocator.free(r.start, r.count);
    this.#pendingFree = [];
  }

  // ---- internals: space ----------------------------------------------------------------

  #claimFileData(root: Tuple): void {
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
        for (const e of this.#extentList(node, path)) {
          if (!this.#allocator.claim(e.disk, e.allocated)) {
            throw new TfsError(`file ${path}: extent at sector ${e.disk} (${e.allocated} sectors) overlaps the log or another file`);
          }
        }
      }
    }
  }

  /** Reserves room for the next log extension and for a compacted log, as Nanos does before data. */
  #reserveLogSpace(syscall: string, path: string): void {
    this.#reserved.extension ??= this.#allocator.allocate(EXTENSION_SECTORS) ?? fail("ENOSPC", syscall, path);
    this.#reserved.log ??= this.#allocator.allocate(EXTENSION_SECTORS) ?? fail("ENOSPC", syscall, path);
  }

  #takeLogSpace(which: "extension" | "log"): number {
    const reserved = this.#reserved[which];
    if (reserved !== undefined) {
      this.#reserved[which] = undefined;
      return reserved;
    }
    return this.#allocator.allocate(EXTENSION_SECTORS) ?? fail("ENOSPC", "sync", "/");
  }

  #takeExtension(): number {
    return this.#takeLogSpace("extension");
  }
}

function fail(code: FsErrorCode, syscall: string, path: string): never {
  throw new FsError(code, syscall, path);
}

function checkRange(position: number, length: number, syscall: string, path: string): void {
  if (!Number.isSafeInteger(position) || position < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new FsError("EINVAL", syscall, path);
  }
  if (position + length > Number.MAX_SAFE_INTEGER / 2) throw new FsError("EFBIG", syscall, path);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
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
