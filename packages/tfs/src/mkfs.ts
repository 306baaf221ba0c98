import { parseManifest, printValue, Tuple, TupleError } from "@nanots/tuple";
import { transferLength, type BlockDevice } from "./block-device.js";
import { SECTOR_SIZE } from "./constants.js";
import { formatUuid, labelBytes } from "./log-header.js";
import { ObservedBlockDevice } from "./observed-block-device.js";
import type { ContentSource } from "./file-data.js";
import { Tfs } from "./tfs.js";

/** Where `mkfs` gets the bytes of `contents:(host:PATH)` files. */
export interface MkfsHost {
  /** The content of the host file `path`; throw {@link MkfsError} if it cannot be read. */
  readFile(path: string): Uint8Array;
  /** Its size in bytes, for progress reporting (optional). */
  size?(path: string): number;
  /**
   * Opens the file to be read piece by piece (optional; preferred over `readFile`, so a large
   * file is never held in memory whole). Throw {@link MkfsError} if it cannot be opened.
   */
  open?(path: string): HostFile;
}

/** An open host file (see {@link MkfsHost.open}). */
export interface HostFile extends ContentSource {
  /** Releases the file. */
  close(): void;
}

/** Options of {@link mkfs}, after the Nanos tool's flags. */
export interface MkfsOptions {
  /** `-l`: volume label (at most 31 bytes). */
  label?: string;
  /** `-s`: minimum image size in bytes. */
  size?: number;
  /** `-t`: tuples whose top-level keys replace the manifest root's, in order. */
  tuples?: Tuple[];
  /** `-e`: an empty filesystem; the manifest, `tuples` and `imagesize` are ignored. */
  empty?: boolean;
  /** The UUID (default random). */
  uuid?: Uint8Array;
  /** Reads host files; required when the manifest names any. */
  host?: MkfsHost;
  /** Called as file data is copied: bytes done and bytes in all. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link mkfs} made. */
export interface MkfsResult {
  /** The new filesystem, synced. */
  fs: Tfs;
  /** What Nanos `mkfs` prints on stdout: the UUID and the root tuple without file data. */
  report: string;
  /** The image size in bytes the device was set to. */
  imageBytes: number;
}

/**
 * A manifest `mkfs` cannot build; `exitCode` is what Nanos `mkfs` exits with for it (1 for
 * usage and manifest errors, 2 for missing host files and failed checks).
 */
export class MkfsError extends Error {
  override readonly name = "MkfsError";
  /** The Nanos tool's exit code for this failure. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

const SLACK = 512 * 1024;

/**
 * Builds a TFS filesystem from a Nanos manifest, as Nanos `mkfs` does (TFS-FORMAT.md §13):
 * `contents:(host:PATH)` entries become files (the `contents` key is not stored), `imagesize`
 * is taken out of the root and sets the minimum size, `coredumplimit` raises it, everything
 * else is copied verbatim. Records are written as C mkfs writes them (the whole root first,
 * then each file's extents and length), data from sector 3073 on, and the device is finally
 * sized to the data plus 512 KiB–1 MiB of slack (or the requested size, rounded the same way).
 *
 * The device should be large (sparse) and resizable: it is shrunk or grown at the end.
 *
 * @example
 * ```ts
 * const device = new MemoryBlockDevice(2 ** 31);
 * const { fs } = mkfs(device, "(children:(hello:(contents:(host:hello.txt))))", { host });
 * ```
 */
export function mkfs(device: BlockDevice, manifest: string | Uint8Array | Tuple, options: MkfsOptions = {}): MkfsResult {
  if (options.label !== undefined) {
    try {
      labelBytes(options.label);
    } catch (e) {
      throw new MkfsError(e instanceof Error ? e.message : String(e));
    }
  }
  let root: Tuple;
  let minimum = options.size ?? 0;
  if (options.empty === true) {
    root = Tuple.from({ children: {} });
  } else {
    root = typeof manifest === "string" || manifest instanceof Uint8Array ? parse(manifest) : manifest.clone();
    for (const t of options.tuples ?? []) for (const [k, v] of t) root.set(k, v);
    const imagesize = root.get("imagesize");
    if (imagesize !== undefined) {
      minimum = parseSize(imagesize.toString());
      root.delete("imagesize");
    }
    const coredump = root.get("coredumplimit");
    if (coredump !== undefined) minimum = Math.max(minimum, parseSize(coredump.toString()));
    if (root.has("boot")) throw new MkfsError("boot filesystems (a root 'boot' tuple, -b, -k) are not supported by nanots mkfs");
    if (!(root.get("children") instanceof Tuple)) throw new MkfsError("manifest root has no children tuple", 2);
  }
  const files = takeContents(root);
  const uuid = options.uuid ?? globalThis.crypto.getRandomValues(new Uint8Array(16));
  const report = `UUID: ${formatUuid(uuid)}\nmetadata\n${printValue(root, { indent: 0 })}\n`;

  let highWater = 0; // end of the furthest sector written
  const tracked = new ObservedBlockDevice(device, {
    onWrite: (sector, source) => {
      highWater = Math.max(highWater, sector + transferLength(source) / SECTOR_SIZE);
    },
  });
  const fs = Tfs.format(tracked, { uuid, label: options.label ?? "", root, timestamps: false });
  const host = options.host;
  if (files.length > 0 && host === undefined) throw new MkfsError("the manifest names host files but no host file reader was given");
  const total = host?.size === undefined ? 0 : files.reduce((n, f) => n + host.size!(f.host), 0);
  let done = 0;
  for (const f of files) {
    const progress = (bytes: number): void => options.onProgress?.(done + bytes, Math.max(total, done + bytes));
    if (host!.open !== undefined) {
      const file = host!.open(f.host);
      try {
        fs.populate(f.entry, file, f.host, progress);
        done += file.size;
      } finally {
        file.close();
      }
    } else {
      const data = host!.readFile(f.host);
      fs.populate(f.entry, data, f.host, progress);
      done += data.length;
    }
  }
  fs.sync();

  const written = highWater * SECTOR_SIZE;
  const target = Math.ceil(((minimum > 0 ? minimum : written) + SLACK) / SLACK) * SLACK;
  const imageBytes = Math.max(written, target);
  if (device.resize === undefined) {
    if (device.sectorCount * SECTOR_SIZE < written) throw new MkfsError("device too small");
  } else {
    device.resize(imageBytes / SECTOR_SIZE);
  }
  return { fs: Tfs.mount(device), report, imageBytes: device.resize === undefined ? device.sectorCount * SECTOR_SIZE : imageBytes };
}

/**
 * Parses a size as Nanos `mkfs -s` does: a number with base auto-detection (`0x` hex, a
 * leading `0` octal, else decimal) and an optional `k`, `m` or `g` suffix (either case).
 *
 * @throws {@link MkfsError} for anything else, or a size ≤ 0.
 */
export function parseSize(text: string): number {
  const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([kKmMgG]?)\s*$/.exec(text);
  if (m === null) throw new MkfsError(`invalid size '${text}'`);
  const digits = m[1]!;
  const n = digits.startsWith("0x") || digits.startsWith("0X") ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith("0") ? parseInt(digits, 8) : Number(digits);
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const size = n * unit;
  if (!(size > 0) || !Number.isSafeInteger(size)) throw new MkfsError(`invalid size '${text}'`);
  return size;
}

function parse(text: string | Uint8Array): Tuple {
  try {
    return parseManifest(text);
  } catch (e) {
    if (e instanceof TupleError) throw new MkfsError(`manifest: ${e.message}`, 1, { cause: e });
    throw e;
  }
}

/** Removes every `contents` key; the ones with `host` become files to fill, in tree order. */
function takeContents(root: Tuple): Array<{ entry: Tuple; host: string }> {
  const files: Array<{ entry: Tuple; host: string }> = [];
  const seen = new Set<Tuple>();
  const stack: Tuple[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const contents = t.get("contents");
    if (contents !== undefined) {
      if (!(contents instanceof Tuple)) throw new MkfsError("'contents' must be a tuple such as (host:path)", 2);
      t.delete("contents");
      const host = contents.get("host");
      if (host !== undefined) files.push({ entry: t, host: host.toString() });
    }
    const children = [...t.values()].filter((v): v is Tuple => v instanceof Tuple).reverse();
    stack.push(...children);
  }
  return files;
}
