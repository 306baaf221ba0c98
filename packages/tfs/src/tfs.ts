import { intern, Tuple, TupleCodec, type Value } from "@nanots/tuple";
import type { BlockDevice } from "./block-device.js";
import { COMPACTION_MIN_OBSOLETE, EXTENSION_SECTORS } from "./constants.js";
import { FileData, type ContentSource } from "./file-data.js";
import { FsError, type FsErrorCode } from "./fs-error.js";
import { labelBytes, type TfsVersion } from "./log-header.js";
import { readLog, type LogExtension } from "./log-reader.js";
import { LogWriter } from "./log-writer.js";
import { pathComponents, resolvePath, type Resolved } from "./resolve-path.js";
import { FirstFitAllocator, type SectorAllocator } from "./sector-allocator.js";
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
const CHILDREN = intern("children");
const EXTENTS = intern("extents");
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
  #version: TfsVersion;
  /** The 16-byte volume UUID. */
  readonly uuid: Uint8Array;
  /** The volume label. */
  readonly label: string;
  readonly #timestamps: boolean;
  readonly #now: () => number;
  readonly #allocator: SectorAllocator;
  readonly #data: FileData;
  #codec: TupleCodec;
  #root: Tuple;
  #writer: LogWriter | undefined;
  #log: LogExtension[];
  #records: Uint8Array[] = [];
  #reserved: { extension?: number; log?: number } = {};

  private constructor(
    device: BlockDevice,
    init: { version: TfsVersion; uuid: Uint8Array; label: string; codec: TupleCodec; root: Tuple; log: LogExtension[] },
    options: MountOptions,
    allocator: SectorAllocator,
  ) {
    this.device = device;
    this.#version = init.version;
    this.uuid = init.uuid;
    this.label = init.label;
    this.#codec = init.codec;
    this.#root = init.root;
    this.#log = init.log;
    this.#timestamps = options.timestamps !== false;
    this.#now = options.now ?? Date.now;
    this.#allocator = allocator;
    this.#data = new FileData({
      device,
      allocator,
      set: (entity, attribute, value) => this.#set(entity, attribute, value),
      beforeAllocate: (syscall, path) => this.#reserveLogSpace(syscall, path),
    });
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
    fs.#data.claimAll(log.root);
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

  /**
   * Version of the extension at sector 0 (4 or 5). New records are always version 5; a
   * compaction rewrites sector 0, which makes a version-4 filesystem a version-5 one.
   */
  get version(): TfsVersion {
    return this.#version;
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

  /** False when mounted read-only (every change then throws `EROFS`). */
  get writable(): boolean {
    return this.#writer !== undefined;
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
    return this.#data.read(file, 0, length);
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
    return this.#data.read(file, from, Math.min(length, size - from));
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
        controller.enqueue(this.#data.read(file, at, n));
        at += n;
      },
    });
  }

  // ---- writing -------------------------------------------------------------------------

  /** Creates or replaces a file with `data` (a string is written as UTF-8). */
  writeFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const file = this.#fileForWrite(path, "open", true);
    if (fileLength(file) > 0) this.#data.truncate(file, 0);
    this.#data.write(file, bytes, 0, "write", path);
    this.#touch(file);
  }

  /** Writes `data` into a file at `position` (creating the file; a gap before it reads as zeros). */
  write(path: string, data: Uint8Array, position: number): void {
    checkRange(position, data.length, "write", path);
    const file = this.#fileForWrite(path, "open", true);
    this.#data.write(file, data, position, "write", path);
    this.#touch(file);
  }

  /** Appends to a file, creating it if needed. */
  appendFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const file = this.#fileForWrite(path, "open", true);
    this.#data.write(file, bytes, fileLength(file), "write", path);
    this.#touch(file);
  }

  /** Sets a file's length: shrinking drops the data past it, growing adds a hole of zeros. */
  truncate(path: string, length = 0): void {
    checkRange(length, 0, "ftruncate", path);
    const file = this.#fileForWrite(path, "open", false);
    this.#data.truncate(file, length);
    this.#touch(file);
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
    this.#entriesChanged(r.parent);
  }

  /** Removes a file, symlink or other non-directory entry. */
  unlink(path: string): void {
    this.#writable("unlink", path);
    const r = this.#resolve(path, "unlink", false);
    if (r.node === undefined) throw new FsError("ENOENT", "unlink", path);
    if (r.parent === undefined || kindOf(r.node) === "directory") throw new FsError("EISDIR", "unlink", path);
    this.#set(this.#childrenOf(r.parent), r.name, undefined);
    this.#entriesChanged(r.parent);
    this.#data.release(r.node);
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
    this.#entriesChanged(src.parent, dst.parent);
    if (replaced !== undefined) this.#data.release(replaced);
  }

  /**
   * Swaps two entries (`renameat2` with `RENAME_EXCHANGE`): each name then refers to what the
   * other did. Both must exist; neither may contain the other.
   */
  exchange(a: string, b: string): void {
    this.#writable("rename", a);
    const first = this.#resolve(a, "rename", false);
    const second = this.#resolve(b, "rename", false);
    if (first.node === undefined || second.node === undefined) throw new FsError("ENOENT", "rename", a, b);
    if (first.parent === undefined || second.parent === undefined) throw new FsError("EPERM", "rename", a, b);
    if (first.node === second.node) return;
    const inside = (r: typeof first, dir: Tuple): boolean => r.ancestors.includes(dir) || r.parent === dir;
    if (inside(second, first.node) || inside(first, second.node)) throw new FsError("EINVAL", "rename", a, b);
    this.#set(this.#childrenOf(second.parent), second.name, first.node);
    this.#set(this.#childrenOf(first.parent), first.name, second.node);
    this.#entriesChanged(first.parent, second.parent);
  }

  /**
   * Makes a second name for a file (a hard link, as Nanos's `tfs_link`): both names share one
   * tuple, whose `nlink` counts them; the data is freed when the last name goes.
   */
  link(existing: string, path: string): void {
    this.#writable("link", path);
    const node = this.#existing(existing, "link", false);
    if (kindOf(node) === "directory") throw new FsError("EPERM", "link", existing, path);
    const r = this.#resolve(path, "link", false);
    if (r.node !== undefined) throw new FsError("EEXIST", "link", existing, path);
    if (r.parent === undefined) throw new FsError("ENOENT", "link", existing, path);
    this.#set(node, "nlink", (node.getNumber("nlink") ?? 1) + 1);
    this.#set(this.#childrenOf(r.parent), r.name, node);
    this.#entriesChanged(r.parent);
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
    this.#entriesChanged(r.parent!);
  }

  /**
   * Sets access and modification times (of a symlink's target, or with `follow` false of the
   * link itself); an undefined time is left as it is.
   */
  utimes(path: string, atime: Date | number | undefined, mtime: Date | number | undefined, follow = true): void {
    this.#writable("utime", path);
    const node = this.#existing(path, "utime", follow);
    if (atime !== undefined) this.#set(node, "atime", toTimestamp(atime));
    if (mtime !== undefined) this.#set(node, "mtime", toTimestamp(mtime));
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
    this.#data.releasePending();
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
    this.#version = 5;
    this.#log = writer.extensions;
    for (const e of old) this.#allocator.free(e.start, e.sectors);
    this.#data.releasePending();
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
    this.#data.adopt(entry);
    if (content instanceof Uint8Array) {
      this.#data.write(entry, content, 0, "write", path);
      onBytes?.(content.length);
    } else {
      this.#data.stream(entry, content, path, onBytes);
    }
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
      this.#data.normalize(file, path);
      return file;
    }
    if (!create || r.parent === undefined) throw new FsError("ENOENT", syscall, path);
    const file = new Tuple();
    file.set(EXTENTS, new Tuple());
    this.#stamp(file);
    this.#set(this.#childrenOf(r.parent), r.name, file);
    this.#entriesChanged(r.parent);
    this.#data.adopt(file);
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
    this.#entriesChanged(r.parent);
  }

  #writable(syscall: string, path: string): void {
    if (this.#writer === undefined) throw new FsError("EROFS", syscall, path);
  }

  #stats(node: Tuple): Stats {
    const kind = kindOf(node);
    if (kind === "file") {
      const blocks = this.#data.extentMap(node, "").all().reduce((n, e) => n + e.allocated, 0);
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

  /** Directories whose entries changed get a new mtime (once each), as on Linux and Nanos. */
  #entriesChanged(...dirs: Tuple[]): void {
    for (const dir of new Set(dirs)) this.#touch(dir);
  }

  #touch(node: Tuple): void {
    if (this.#timestamps) this.#set(node, "mtime", toTimestamp(this.#now()));
  }

  // ---- internals: space ----------------------------------------------------------------

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
