import { timestampToMs, type Tfs } from "@nanots/tfs";
import { Tuple } from "@nanots/tuple";
import { fail } from "../linux-error.js";
import { AccessMode, DirentType, FileType, O_ACCMODE, OpenFlag, RenameFlag } from "../linux-constants.js";
import type { StatData } from "../structs/stat.js";
import type { StatfsData } from "../structs/statfs.js";
import { timespecFromNanos, type Timespec } from "../structs/timespec.js";
import { ConsoleDevice, DeviceNumber, type ConsoleIo } from "./devices.js";
import { addKernelTree } from "./kernel-tree.js";
import { PathDescription } from "./path-description.js";
import { DirectoryDescription, type DirectoryEntry } from "./directory-file.js";
import type { FileDescription } from "./file-description.js";
import { OpenFile } from "./open-file.js";
import { RegularFileDescription } from "./regular-file.js";
import { framesPath, resolvePath, resolvedPath, type FollowLast, type PathFrame, type Resolution } from "./resolve-path.js";
import { TfsVnode, VirtualDir, VirtualFile, type Vnode } from "./vnode.js";

/** What the VFS needs besides the filesystem. */
export interface VfsOptions {
  /** The mounted root filesystem. */
  fs: Tfs;
  /** Random bytes for `/dev/urandom` and `/dev/random`. */
  random: (length: number) => Uint8Array;
  /** The program's path, the target of `/proc/self/exe`. Default `/program`. */
  programPath?: string;
  /** The text of `/proc/self/maps` (the kernel's memory map). Default: empty. */
  procMaps?: () => string;
  /** Online CPUs, for `/sys/devices/system/cpu/online`. Default 1. */
  cpus?: number;
  /** The starting working directory. Default `/`. */
  cwd?: string;
  /**
   * The root filesystem is mounted read-only (the `readonly_rootfs` manifest flag): opening a
   * file for writing is `EROFS`, as on Nanos. Default false.
   */
  readOnly?: boolean;
  /**
   * Nanos's `exec_protection`: a file whose tuple has `exec` may be read and executed but not
   * written; any other file may be read and written but not executed. Default false (all
   * permissions), except that a tuple with `readonly` is never writable.
   */
  execProtection?: boolean;
  /** The clock of access times, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Memory figures for `/proc/meminfo`, in bytes. Default: 512 MiB, all free. */
  meminfo?: () => { total: number; free: number; cached: number };
}

export { RenameFlag };

const SECTOR = 512;
const NAME_MAX = 255;
const DEV_TFS = 0x801;
const DEV_KERNEL = 0x5;
const FILE_TYPE: Record<Vnode["kind"], number> = {
  directory: FileType.S_IFDIR,
  file: FileType.S_IFREG,
  symlink: FileType.S_IFLNK,
  char: FileType.S_IFCHR,
};
/** st_blksize of a regular file: Nanos says PAGESIZE (and 0 for anything else). */
const PAGE_BLKSIZE = 4096;const DTYPE: Record<Vnode["kind"], number> = { directory: DirentType.DT_DIR, file: DirentType.DT_REG, symlink: DirentType.DT_LNK, char: DirentType.DT_CHR };

const ZERO_TIME: Timespec = { sec: 0, nsec: 0 };
const DAY_MS = 24 * 60 * 60 * 1000;
/** The bit `O_TMPFILE` adds to `O_DIRECTORY` (Linux's `__O_TMPFILE`). */
const TMPFILE_BIT = OpenFlag.O_TMPFILE & ~OpenFlag.O_DIRECTORY;

/** Access permission bits as Nanos computes them for a file (`file_meta_perms`). */
export const Perm = { READ: 4, WRITE: 2, EXEC: 1 } as const;

/** The `rwx` bits of `st_mode` for permissions, for owner, group and others alike (Nanos's `stat_mode`). */
function permissionBits(perms: number): number {
  return (perms & Perm.READ ? 0o444 : 0) | (perms & Perm.WRITE ? 0o222 : 0) | (perms & Perm.EXEC ? 0o111 : 0);
}

/** The TFS tuple behind an entry (the root overlay's is the TFS root), if any. */
function tupleOf(node: Vnode): Tuple | undefined {
  if (node instanceof TfsVnode) return node.tuple;
  return node instanceof VirtualDir && node.under instanceof TfsVnode ? node.under.tuple : undefined;
}

function timeOf(t: Tuple, name: string): Timespec {
  const ts = t.getU64(name);
  return ts === undefined ? ZERO_TIME : timespecFromNanos(Math.round(timestampToMs(ts) * 1e6));
}

/**
 * The file layer of the unix personality: paths (absolute, relative to the working directory
 * or a directory fd), the TFS tree with `/dev`, `/proc` and `/sys` laid over it, and the
 * open-file descriptions of regular files, directories and devices. Every method throws
 * {@link LinuxError} (or an `FsError` of `@nanots/tfs`) carrying the errno Linux returns.
 */
export class Vfs {
  /** The filesystem. */
  readonly fs: Tfs;
  /** The working directory (absolute, no symlinks). */
  cwd: string;
  readonly #root: VirtualDir;
  readonly #inodes = new WeakMap<object, number>();
  #nextInode = 2;
  readonly #openFiles = new Map<Tuple, OpenFile>();
  readonly #live = new Set<FileDescription>();
  readonly #readOnly: boolean;
  readonly #execProtection: boolean;
  readonly #now: () => number;
  /** The working directory was removed (its path may name a new directory since). */
  #cwdRemoved = false;

  constructor(options: VfsOptions) {
    this.fs = options.fs;
    this.#readOnly = options.readOnly === true;
    this.#execProtection = options.execProtection === true;
    this.#now = options.now ?? Date.now;
    this.cwd = "/";
    this.#root = new VirtualDir(new TfsVnode(options.fs.root));
    this.#inode(this.#root.identity); // the root is inode 2, as on most Linux filesystems
    addKernelTree(this.#root, { ...options, stat: (node) => this.#statVnode(node) });
    if (options.cwd !== undefined) this.chdir("/", options.cwd);
  }

  // ---- paths ---------------------------------------------------------------------------

  #frames(dir: string): PathFrame[] {
    const r = resolvePath(this.#root, [], dir, true);
    if (r.node === undefined) fail("ENOENT", `directory ${dir} is gone`);
    if (r.node.kind !== "directory") fail("ENOTDIR");
    return [...r.dirs, { name: r.name, node: r.node }].filter((f, i) => i === 0 || f.name !== "");
  }

  /** Resolves `path` relative to the directory `at` (an absolute path). */
  resolve(at: string, path: string, followLast: FollowLast): Resolution {
    if (this.#cwdRemoved && at === this.cwd && !path.startsWith("/")) return this.#fromRemovedCwd(path, followLast);
    return resolvePath(this.#root, path.startsWith("/") ? [] : this.#frames(at), path, followLast);
  }

  /**
   * A relative path from a working directory that was removed: as on Linux it has no entries
   * (even once a new directory takes its name) and only `..` leads out, to its old parent.
   */
  #fromRemovedCwd(path: string, followLast: FollowLast): Resolution {
    const parts = path.split("/").filter((c) => c !== "" && c !== ".");
    if (parts[0] !== "..") fail("ENOENT", "the working directory was removed");
    const parent = this.cwd.slice(0, this.cwd.lastIndexOf("/")) || "/";
    const rest = parts.slice(1).join("/");
    return resolvePath(this.#root, this.#frames(parent), rest === "" ? "." : rest + (path.endsWith("/") ? "/" : ""), followLast);
  }

  #existing(at: string, path: string, follow: FollowLast): { r: Resolution; node: Vnode } {
    const r = this.resolve(at, path, follow);
    if (r.node === undefined) fail("ENOENT", path);
    return { r, node: r.node };
  }

  /** The parent of a resolved entry, which must be a changeable (TFS) directory. */
  #changeableParent(r: Resolution): void {
    const parent = r.dirs[r.dirs.length - 1];
    if (parent === undefined) fail("EBUSY", "the root");
    if (parent.node.virtual || r.node?.virtual === true) fail("EACCES", `${resolvedPath(r)} is made by the kernel`);
    if (this.#readOnly) fail("EROFS", resolvedPath(r));
  }

  // ---- metadata --------------------------------------------------------------------------

  #inode(identity: object): number {
    let n = this.#inodes.get(identity);
    if (n === undefined) {
      n = this.#nextInode++;
      this.#inodes.set(identity, n);
    }
    return n;
  }

  /** Metadata of an entry; `open` is the open file behind it, whose size and links are current. */
  #statVnode(node: Vnode, open?: OpenFile): StatData {
    const base: StatData = {
      dev: node.virtual ? DEV_KERNEL : DEV_TFS,
      ino: this.#inode(node.identity),
      // As Linux: a directory is linked from its parent, from its own `.` and from each subdirectory's `..`.
      nlink: node.kind === "directory" ? 2 + node.children().filter(([, c]) => c.kind === "directory").length : 1,
      mode: FILE_TYPE[node.kind] | permissionBits(this.permissions(node)),
      uid: 0,
      gid: 0,
      rdev: node instanceof VirtualFile ? node.rdev : 0,
      size: 0,
      blksize: node.kind === "file" ? PAGE_BLKSIZE : 0,
      blocks: 0,
      atime: ZERO_TIME,
      mtime: ZERO_TIME,
      ctime: ZERO_TIME,
    };
    const t = tupleOf(node);
    if (t !== undefined) {
      if (node.kind !== "directory") base.nlink = t.getNumber("nlink") ?? base.nlink;
      base.atime = timeOf(t, "atime");
      base.mtime = base.ctime = timeOf(t, "mtime");
    }
    if (node.kind === "symlink") base.size = new TextEncoder().encode(node.linkTarget()).length;
    if (node.kind === "file" && t !== undefined) {
      base.size = open?.size() ?? t.getNumber("filelength") ?? 0;
      if (open?.detached === true) base.nlink = 0; // unlinked while open
      for (const [, e] of t.getTuple("extents") ?? []) if (e instanceof Tuple) base.blocks += e.getNumber("allocated") ?? e.getNumber("length") ?? 0;
    }
    return base;
  }

  /** `stat`/`lstat`/`newfstatat`: metadata of the entry at `path`. */
  stat(at: string, path: string, follow: boolean): StatData {
    const { node } = this.#existing(at, path, follow);
    const open = node instanceof TfsVnode ? this.#openFiles.get(node.tuple) : undefined;
    return this.#statVnode(node, open);
  }

  /** `statfs`: TFS's block counts (in sectors, as Nanos reports them) for TFS paths. */
  statfs(at: string, path: string): StatfsData {
    return this.#statfsOf(this.#existing(at, path, true).node.virtual);
  }

  /** `fstatfs`. */
  fstatfs(desc: FileDescription): StatfsData {
    return this.#statfsOf(desc.stat().dev === DEV_KERNEL);
  }

  #statfsOf(virtual: boolean): StatfsData {
    // As Nanos: f_type 0; for a kernel-made entry no filesystem, page-sized blocks.
    const blocks = virtual ? 0 : this.fs.device.sectorCount;
    const free = virtual ? 0 : this.fs.freeSectors;
    const bsize = virtual ? 4096 : SECTOR;
    // Nanos makes f_fsid from the file's tuple address (a different id per file); Linux's is
    // the filesystem's: here the first 8 bytes of the TFS uuid.
    const id = new DataView(this.fs.uuid.buffer, this.fs.uuid.byteOffset, 8);
    const fsid: [number, number] = virtual ? [0, 0] : [id.getInt32(0, true), id.getInt32(4, true)];
    return { type: 0, bsize, blocks, bfree: free, bavail: free, files: 0, ffree: 0, fsid, namelen: NAME_MAX, frsize: bsize, flags: 0 };
  }

  /** `readlink`: a symlink's target. */
  readlink(at: string, path: string): string {
    const { node } = this.#existing(at, path, false);
    if (node.kind !== "symlink") fail("EINVAL", "not a symlink");
    return node.linkTarget();
  }

  /**
   * What may be done to an entry, as Nanos decides it (`file_meta_perms`): everything, unless
   * exec protection splits files into executables (read, exec) and data (read, write), and a
   * `readonly` tuple is never writable.
   */
  permissions(node: Vnode): number {
    const t = tupleOf(node);
    let perms = Perm.READ | Perm.WRITE | Perm.EXEC;
    if (this.#execProtection) perms = t?.has("exec") === true ? Perm.READ | Perm.EXEC : Perm.READ | Perm.WRITE;
    if (t?.has("readonly") === true) perms &= ~Perm.WRITE;
    return perms;
  }

  /** `access`/`faccessat`: the entry exists and allows `mode` (`R_OK` 4, `W_OK` 2, `X_OK` 1), else `EACCES`. */
  access(at: string, path: string, follow: boolean, mode = 0): void {
    const { node } = this.#existing(at, path, follow);
    if ((mode & ~this.permissions(node) & 7) !== 0) fail("EACCES", path);
  }

  // ---- opening -------------------------------------------------------------------------

  /** `open`/`openat`/`creat`: a new open-file description. */
  open(at: string, path: string, openFlags: number): FileDescription {
    if ((openFlags & TMPFILE_BIT) !== 0) return this.#track(this.#openUnnamed(at, path, openFlags));
    // O_PATH keeps only the flags that say how to find the entry (Linux's build_open_flags).
    const flags = (openFlags & OpenFlag.O_PATH) !== 0 ? openFlags & (OpenFlag.O_PATH | OpenFlag.O_DIRECTORY | OpenFlag.O_NOFOLLOW | OpenFlag.O_CLOEXEC) : openFlags;
    const create = (flags & OpenFlag.O_CREAT) !== 0;
    const exclusive = create && (flags & OpenFlag.O_EXCL) !== 0;
    const noFollow = (flags & OpenFlag.O_NOFOLLOW) !== 0 || exclusive;
    // Linux 6.4+ refuses the ambiguous pair before any lookup.
    if (create && (flags & OpenFlag.O_DIRECTORY) !== 0) fail("EINVAL", "O_CREAT with O_DIRECTORY");
    if (create) {
      // Linux looks up the parent first: O_CREAT needs a last component that is a name,
      // without a trailing `/` (whatever it names); for `.`, `..` or `/` (always an existing
      // directory) O_EXCL says EEXIST first.
      const parent = this.resolve(at, path, "entry");
      if (parent.last !== "name") fail(exclusive ? "EEXIST" : "EISDIR", path);
      if (parent.trailingSlash) fail("EISDIR", path);
    }
    let r = this.resolve(at, path, !noFollow);
    if (r.node === undefined) {
      if (!create) fail("ENOENT", path);
      this.#changeableParent(r);
      this.fs.writeFile(resolvedPath(r), new Uint8Array(0));
      r = this.resolve(at, path, !noFollow); // through a dangling symlink: its new target
    } else if (exclusive) {
      fail("EEXIST", path);
    }
    const node = r.node!;
    const full = resolvedPath(r);
    const mode = flags & O_ACCMODE;
    const wantsWrite = mode === AccessMode.O_WRONLY || mode === AccessMode.O_RDWR;
    // Linux's order (do_open, then may_open): O_DIRECTORY first, then the unfollowed symlink.
    if ((flags & OpenFlag.O_DIRECTORY) !== 0 && node.kind !== "directory") fail("ENOTDIR", path);
    if (node.kind === "symlink" && (flags & OpenFlag.O_PATH) === 0) fail("ELOOP", `${path} is a symlink (O_NOFOLLOW)`);
    let desc: FileDescription;
    if (node.kind === "symlink") {
      desc = new PathDescription(flags, full, () => this.#statVnode(node)); // O_PATH|O_NOFOLLOW: the link itself
    } else if (node.kind === "directory") {
      // O_TRUNC asks for write access too (Linux's may_open), which a directory refuses.
      if ((create || wantsWrite || (flags & OpenFlag.O_TRUNC) !== 0) && (flags & OpenFlag.O_PATH) === 0) fail("EISDIR", path);
      const dir: FileDescription = new DirectoryDescription(flags, full, () => this.#list(node, r), () => this.#statVnode(node));
      const t = tupleOf(node);
      if (t !== undefined) dir.onAccess = () => this.#accessed(t, dir.path);
      desc = dir;
    } else if ((flags & OpenFlag.O_PATH) !== 0) {
      desc = new PathDescription(flags, full, () => this.#statVnode(node));
    } else if (node instanceof VirtualFile) {
      desc = node.open(flags, full);
    } else {
      // As Nanos: a write-mode open of a regular file checks the mount, then the permissions.
      if (wantsWrite && this.#readOnly) fail("EROFS", path);
      if (wantsWrite && (this.permissions(node) & Perm.WRITE) === 0) fail("EACCES", path);
      const tuple = (node as TfsVnode).tuple;
      let file = this.#openFiles.get(tuple);
      if ((flags & OpenFlag.O_TRUNC) !== 0 && (flags & OpenFlag.O_PATH) === 0 && (tuple.getNumber("filelength") ?? 0) > 0) {
        // Through the open file when there is one, so that mappings of it lose their pages too.
        if (file !== undefined) file.truncate(0);
        else this.fs.truncate(full, 0);
      }
      if (file === undefined) {
        file = new OpenFile(this.fs, tuple, full);
        this.#openFiles.set(tuple, file);
        this.#forgetWhenUnused(file);
      }
      const opened = file;
      desc = new RegularFileDescription(flags, full, opened, () => this.#statVnode(node, opened));
      desc.onAccess = () => this.#accessed(opened.tuple, opened.path);
    }
    return this.#track(desc);
  }

  /** Keeps a new description among the live ones (for renames) until it is closed. */
  #track(desc: FileDescription): FileDescription {
    this.#live.add(desc);
    desc.onClose = () => this.#live.delete(desc);
    return desc;
  }

  /** An open file leaves the open ones with its last reference (a description or a mapping). */
  #forgetWhenUnused(file: OpenFile): void {
    file.onUnused = () => {
      if (this.#openFiles.get(file.tuple) === file) this.#openFiles.delete(file.tuple);
    };
  }

  /**
   * `sync`/`fsync`: what shared mappings stored reaches the files, then TFS writes everything
   * out.
   */
  sync(): void {
    for (const file of this.#openFiles.values()) file.pages?.flush();
    this.fs.sync();
  }

  /**
   * `O_TMPFILE`: an unnamed regular file "in" the directory `path`, gone with its last fd (as
   * Nanos's `filesystem_creat_unnamed`). It needs write access and no `O_CREAT` (`EINVAL`), an
   * existing directory (`ENOENT`, `ENOTDIR`) of TFS (`EOPNOTSUPP` for `/proc` and the like).
   */
  #openUnnamed(at: string, path: string, flags: number): FileDescription {
    const mode = flags & O_ACCMODE;
    const tmpfile = OpenFlag.O_TMPFILE | OpenFlag.O_CREAT;
    if ((flags & tmpfile) !== OpenFlag.O_TMPFILE || (mode !== AccessMode.O_WRONLY && mode !== AccessMode.O_RDWR)) fail("EINVAL", "O_TMPFILE");
    const { r, node } = this.#existing(at, path, (flags & OpenFlag.O_NOFOLLOW) === 0);
    if (node.kind !== "directory") fail("ENOTDIR", path);
    if (node.virtual) fail("EOPNOTSUPP", `${path} is made by the kernel`);
    if (this.#readOnly) fail("EROFS", path);
    const file = OpenFile.unnamed(this.fs, (flags & OpenFlag.O_EXCL) === 0);
    // Linux names it "#<inode> (deleted)" in its directory; no lookup ever finds that name.
    const where = `${resolvedPath(r).replace(/\/$/, "")}/#${this.#inode(file.tuple)} (deleted)`;
    const desc = new RegularFileDescription(flags, where, file, () => this.#statVnode(new TfsVnode(file.tuple), file));
    desc.onAccess = () => this.#accessed(file.tuple, file.path);
    return desc;
  }

  /**
   * A read of a file or a listing of a directory: its access time moves to now when it is not
   * after the modification time or is a day old (Linux's `relatime`, Nanos's
   * `filesystem_update_relatime`). Nothing moves on a read-only root or for a detached file.
   */
  #accessed(t: Tuple, path: string | undefined): void {
    if (path === undefined || this.#readOnly || !this.fs.writable) return;
    const ms = (name: string): number => {
      const v = t.getU64(name);
      return v === undefined ? 0 : timestampToMs(v);
    };
    const now = this.#now();
    const atime = ms("atime");
    if (atime <= ms("mtime") || now > atime + DAY_MS) this.fs.utimes(path, now, undefined, false);
  }

  /** A console description (for fds 0–2) writing to `io`. */
  openConsole(flags: number, io: ConsoleIo): FileDescription {
    const node = new VirtualFile("char", () => fail("ENXIO"), DeviceNumber.console);
    return new ConsoleDevice(flags, "/dev/console", () => this.#statVnode(node), io);
  }

  #list(node: Vnode, r: Resolution): DirectoryEntry[] {
    const parent = r.dirs[r.dirs.length - 1]?.node ?? node;
    const entries: DirectoryEntry[] = [
      { name: ".", ino: this.#inode(node.identity), type: DirentType.DT_DIR },
      { name: "..", ino: this.#inode(parent.identity), type: DirentType.DT_DIR },
    ];
    for (const [name, child] of node.children()) entries.push({ name, ino: this.#inode(child.identity), type: DTYPE[child.kind] });
    return entries;
  }

  // ---- changes -------------------------------------------------------------------------

  /** `mkdir`/`mkdirat` (the mode is not stored: TFS has none). */
  mkdir(at: string, path: string): void {
    const r = this.resolve(at, path, "entry");
    if (r.node !== undefined) fail("EEXIST", path);
    this.#changeableParent(r);
    this.fs.mkdir(resolvedPath(r));
  }

  /** `rmdir` (and `unlinkat` with `AT_REMOVEDIR`). */
  rmdir(at: string, path: string): void {
    const r = this.resolve(at, path, "entry");
    // Linux checks the last component's type before looking it up.
    if (r.last === "dot") fail("EINVAL", path);
    if (r.last === "dotdot") fail("ENOTEMPTY", path);
    if (r.last === "root") fail("EBUSY", "the root");
    if (r.node === undefined) fail("ENOENT", path);
    if (r.node.kind !== "directory") fail("ENOTDIR", path);
    this.#changeableParent(r);
    const gone = resolvedPath(r);
    this.fs.rmdir(gone);
    for (const d of this.#live) if (d instanceof DirectoryDescription && d.path === gone) d.removed = true;
    if (this.cwd === gone) this.#cwdRemoved = true;
  }

  /** `unlink` (and `unlinkat` without flags). An open file stays usable until closed. */
  unlink(at: string, path: string): void {
    const r = this.resolve(at, path, "entry");
    if (r.last !== "name") fail("EISDIR", path);
    const node = r.node;
    if (node === undefined) fail("ENOENT", path);
    if (node.kind === "directory") fail("EISDIR", path);
    if (r.trailingSlash) fail("ENOTDIR", path);
    this.#changeableParent(r);
    const full = resolvedPath(r);
    this.#nameGoes(node, full);
    this.fs.unlink(full);
  }

  /**
   * The name `path` of `node` is about to go. An open file reaches its data by a name: it moves
   * to another name of the file (a hard link) or, when this is the last, into memory.
   */
  #nameGoes(node: Vnode, path: string): void {
    const file = node instanceof TfsVnode ? this.#openFiles.get(node.tuple) : undefined;
    if (file === undefined || file.path !== path) return;
    const other = (file.tuple.getNumber("nlink") ?? 1) > 1 ? this.#otherName(file.tuple, path) : undefined;
    if (other !== undefined) file.path = other;
    else file.detach();
  }

  /** Another path to a hard-linked file's tuple than `except` (a walk of the TFS tree). */
  #otherName(tuple: Tuple, except: string): string | undefined {
    const stack: Array<[string, Vnode]> = [["", new TfsVnode(this.fs.root)]];
    while (stack.length > 0) {
      const [path, dir] = stack.pop()!;
      for (const [name, child] of dir.children()) {
        const full = `${path}/${name}`;
        if (child instanceof TfsVnode && child.tuple === tuple && full !== except) return full;
        if (child.kind === "directory") stack.push([full, child]);
      }
    }
    return undefined;
  }

  /** `rename`/`renameat`/`renameat2` (`RENAME_NOREPLACE`, `RENAME_EXCHANGE`; `RENAME_WHITEOUT` is refused, as Nanos does). */
  rename(fromAt: string, from: string, toAt: string, to: string, flags = 0): void {
    const exchange = (flags & RenameFlag.RENAME_EXCHANGE) !== 0;
    if ((flags & ~(RenameFlag.RENAME_NOREPLACE | RenameFlag.RENAME_EXCHANGE)) !== 0) fail("EINVAL", `renameat2 flags ${flags}`);
    if (exchange && (flags & RenameFlag.RENAME_NOREPLACE) !== 0) fail("EINVAL", "RENAME_EXCHANGE with RENAME_NOREPLACE");
    // Linux's order: both parents, then `.`/`..` as a last component, then the source.
    const srcR = this.resolve(fromAt, from, "entry");
    const dst = this.resolve(toAt, to, "entry");
    if (srcR.last !== "name" || dst.last !== "name") fail("EBUSY");
    if (srcR.node === undefined) fail("ENOENT", from);
    const src = { r: srcR, node: srcR.node };
    if (src.node.virtual || dst.dirs[dst.dirs.length - 1]?.node.virtual === true || dst.node?.virtual === true) fail("EXDEV");
    if (src.r.dirs.length === 0 || dst.dirs.length === 0) fail("EBUSY", "the root");
    if (this.#readOnly) fail("EROFS");
    if (dst.node !== undefined && (flags & RenameFlag.RENAME_NOREPLACE) !== 0) fail("EEXIST", to);
    if (exchange && dst.node === undefined) fail("ENOENT", to);
    if ((src.r.trailingSlash || dst.trailingSlash) && src.node.kind !== "directory") fail("ENOTDIR");
    if (exchange && src.r.trailingSlash && dst.node!.kind !== "directory") fail("ENOTDIR");
    const oldPath = resolvedPath(src.r);
    const newPath = resolvedPath(dst);
    if (oldPath === newPath || (dst.node !== undefined && dst.node.identity === src.node.identity)) return;
    if (exchange) {
      this.#exchange({ ...src.r, node: src.node }, { ...dst, node: dst.node! });
      return;
    }
    // Linux's "trap" checks: a directory into itself, or over one of the source's ancestors.
    if (src.node.kind === "directory" && (dst.dirs.some((f) => f.node.identity === src.node.identity))) fail("EINVAL");
    if (dst.node !== undefined && src.r.dirs.some((f) => f.node.identity === dst.node!.identity)) fail("ENOTEMPTY");
    if (dst.node !== undefined && dst.node.kind !== "directory" && src.node.kind !== "directory") this.#nameGoes(dst.node, newPath);
    this.fs.rename(oldPath, newPath);
    this.#pathsMoved((p) => (p === oldPath ? newPath : p.startsWith(`${oldPath}/`) ? newPath + p.slice(oldPath.length) : undefined));
  }

  /** `RENAME_EXCHANGE`: the two entries swap names (neither may contain the other). */
  #exchange(a: Resolution & { node: Vnode }, b: Resolution & { node: Vnode }): void {
    const inside = (r: Resolution, dir: Vnode): boolean => r.dirs.some((f) => f.node.identity === dir.identity);
    if (inside(a, b.node) || inside(b, a.node)) fail("EINVAL", "one contains the other");
    const pathA = resolvedPath(a);
    const pathB = resolvedPath(b);
    this.fs.exchange(pathA, pathB);
    const swap = (p: string, from: string, to: string): string | undefined => (p === from ? to : p.startsWith(`${from}/`) ? to + p.slice(from.length) : undefined);
    this.#pathsMoved((p) => swap(p, pathA, pathB) ?? swap(p, pathB, pathA));
  }

  /** Keeps the paths of open files, descriptions and the working directory current after a rename. */
  #pathsMoved(moved: (path: string) => string | undefined): void {
    for (const f of this.#openFiles.values()) if (f.path !== undefined) f.path = moved(f.path) ?? f.path;
    for (const d of this.#live) d.path = moved(d.path) ?? d.path;
    this.cwd = moved(this.cwd) ?? this.cwd;
  }

  /**
   * `linkat(fd, "", …, AT_EMPTY_PATH)`: a name for the file an fd refers to. A file opened with
   * `O_TMPFILE` (without `O_EXCL`) gets its first name this way, keeping its inode; a file
   * whose names are all gone is `ENOENT`, as on Linux.
   */
  linkDescription(desc: FileDescription, newAt: string, newPath: string): void {
    const file = desc instanceof RegularFileDescription ? desc.file : undefined;
    if (file === undefined) {
      this.link("/", desc.path, newAt, newPath, false); // a directory (EPERM), a device…
      return;
    }
    if (!file.linkable) {
      // By its current name (any of its hard links); an unlinked file cannot get one back.
      if (file.path === undefined) fail("ENOENT", "the file has no name left");
      this.link("/", file.path, newAt, newPath, false);
      return;
    }
    const dst = this.resolve(newAt, newPath, "entry");
    if (dst.last !== "name" || dst.node !== undefined) fail("EEXIST", newPath);
    if (dst.trailingSlash) fail("ENOENT", newPath);
    this.#changeableParent(dst);
    const ino = this.#inode(file.tuple);
    file.name(resolvedPath(dst), (p) => (this.resolve("/", p, false).node as TfsVnode).tuple);
    this.#inodes.set(file.tuple, ino); // the same file: the same inode number
    this.#openFiles.set(file.tuple, file);
    this.#forgetWhenUnused(file);
    desc.path = resolvedPath(dst);
  }

  /**
   * `link`/`linkat`: a second name for a file (a hard link, as Nanos makes them on TFS): `EPERM`
   * for a directory, `EEXIST` when the new name is taken, `EXDEV` for a kernel-made entry. The
   * existing entry's last symlink is followed only when `follow` (`AT_SYMLINK_FOLLOW`).
   */
  link(oldAt: string, oldPath: string, newAt: string, newPath: string, follow: boolean): void {
    // Linux's order: the old name, the new one (a name that is free), the mount, then the type.
    const { r: src, node } = this.#existing(oldAt, oldPath, follow);
    const dst = this.resolve(newAt, newPath, "entry");
    if (dst.last !== "name" || dst.node !== undefined) fail("EEXIST", newPath);
    if (dst.trailingSlash) fail("ENOENT", newPath);
    if (node.virtual || dst.dirs[dst.dirs.length - 1]?.node.virtual === true) fail("EXDEV");
    if (this.#readOnly) fail("EROFS");
    if (node.kind === "directory") fail("EPERM", `${oldPath} is a directory`);
    this.fs.link(resolvedPath(src), resolvedPath(dst));
  }

  /** `symlink`/`symlinkat`: a link at `path` to `target`. */
  symlink(target: string, at: string, path: string): void {
    if (target === "") fail("ENOENT", "empty symlink target");
    const r = this.resolve(at, path, "entry");
    if (r.node !== undefined) fail("EEXIST", path);
    if (r.trailingSlash) fail("ENOENT", path);
    this.#changeableParent(r);
    this.fs.symlink(target, resolvedPath(r));
  }

  /** `truncate`: sets a file's length by path. */
  truncate(at: string, path: string, length: number): void {
    const { r, node } = this.#existing(at, path, true);
    if (node.kind === "directory") fail("EISDIR", path);
    if ((this.permissions(node) & Perm.WRITE) === 0) fail("EACCES", path);
    if (node.kind !== "file" || node.virtual) fail("EINVAL", path);
    if (this.#readOnly) fail("EROFS", path);
    if (length < 0) fail("EINVAL", "negative length");
    const open = (node as TfsVnode).tuple;
    const file = this.#openFiles.get(open);
    if (file !== undefined) file.truncate(length);
    else this.fs.truncate(resolvedPath(r), length);
  }

  /** `utime`/`utimes`/`utimensat`: sets access and modification times (milliseconds; undefined leaves one). */
  utimes(at: string, path: string, atimeMs: number | undefined, mtimeMs: number | undefined, follow: boolean): void {
    const { r, node } = this.#existing(at, path, follow);
    if (node.virtual) fail("EACCES");
    if (this.#readOnly) fail("EROFS");
    this.fs.utimes(resolvedPath(r), atimeMs, mtimeMs, follow);
  }

  /** `chdir`: the new working directory. */
  chdir(at: string, path: string): void {
    const { r, node } = this.#existing(at, path, true);
    if (node.kind !== "directory") fail("ENOTDIR", path);
    this.cwd = resolvedPath(r);
    this.#cwdRemoved = false;
  }

  /** `fchdir`: into an open directory, even one removed since (then as after its `rmdir`). */
  fchdir(desc: FileDescription): void {
    if (desc instanceof DirectoryDescription && desc.removed) {
      this.cwd = desc.path;
      this.#cwdRemoved = true;
      return;
    }
    this.chdir("/", this.directoryOf(desc));
  }

  /** The absolute path of the directory a directory description was opened as (for `*at`). */
  directoryOf(desc: FileDescription): string {
    if (!desc.isDirectory) fail("ENOTDIR");
    // A removed directory has no entries and takes none, even once its name is reused.
    if (desc instanceof DirectoryDescription && desc.removed) fail("ENOENT", "the directory was removed");
    return desc.path;
  }

  /** Canonical path of the working directory, checked to still exist (`getcwd`). */
  getcwd(): string {
    if (this.#cwdRemoved) fail("ENOENT", "the working directory was removed");
    return framesPath(this.#frames(this.cwd));
  }

  /** Open-file descriptions not yet closed (for introspection and tests). */
  get openDescriptions(): number {
    return this.#live.size;
  }
}
