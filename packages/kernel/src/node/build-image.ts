// Builds the boot image for `nanots run` in memory, as ops does: the program (and for a dynamic
// program its interpreter and libraries) at their paths, copied host directories, and a
// manifest root tuple naming the program, its arguments and environment.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename, join, posix } from "node:path";
import { MemoryBlockDevice, mkfs } from "@nanots/tfs";
import { nodeMkfsHost } from "@nanots/tfs/node";
import { parseManifest, Tuple } from "@nanots/tuple";
import { parseElf } from "../elf/parse-elf.js";
import { resolveLibraries } from "./resolve-libraries.js";

/** What goes into an image. */
export interface ImageSpec {
  /** Host path of the program. */
  program: string;
  /** Its path in the image (default `/` + its file name). */
  guestPath?: string;
  /** Arguments after argv[0]. */
  args?: string[];
  /** Environment variables. */
  env?: Record<string, string>;
  /** Host files to place at guest paths (interpreter, libraries). */
  files?: Array<{ host: string; guest: string }>;
  /** Host directories to copy into the image (`--mount HOST:GUEST`). */
  mounts?: Array<{ host: string; guest: string }>;
  /** Manifest text whose root attributes are added (`--manifest`). */
  manifest?: string;
  /** Extra root attributes (flags such as `noaslr`, `debugsyscalls`). */
  flags?: Record<string, string>;
}

/** A children tuple path: creates the directory tuples on the way. */
function place(root: Tuple, guest: string, entry: Tuple): void {
  const parts = posix.normalize(guest).split("/").filter((p) => p.length > 0);
  if (parts.length === 0) throw new Error(`cannot place a file at ${guest}`);
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    let children = dir.getTuple("children");
    if (children === undefined) {
      children = new Tuple();
      dir.set("children", children);
    }
    let next = children.getTuple(part);
    if (next === undefined) {
      next = Tuple.from({ children: {} });
      children.set(part, next);
    }
    dir = next;
  }
  let children = dir.getTuple("children");
  if (children === undefined) {
    children = new Tuple();
    dir.set("children", children);
  }
  children.set(parts[parts.length - 1]!, entry);
}

function copyTree(root: Tuple, host: string, guest: string): void {
  for (const name of readdirSync(host)) {
    const h = join(host, name);
    const g = posix.join(guest, name);
    const info = lstatSync(h);
    if (info.isSymbolicLink()) place(root, g, Tuple.from({ linktarget: readlinkSync(h) }));
    else if (info.isDirectory()) {
      place(root, g, Tuple.from({ children: {} }));
      copyTree(root, h, g);
    } else if (info.isFile()) place(root, g, Tuple.from({ contents: { host: h } }));
  }
}

/** The manifest root tuple for a spec. */
export function imageManifest(spec: ImageSpec): Tuple {
  const guestPath = spec.guestPath ?? `/${basename(spec.program)}`;
  const root = spec.manifest !== undefined ? parseManifest(spec.manifest) : new Tuple();
  if (root.getTuple("children") === undefined) root.set("children", new Tuple());
  // An empty /tmp, which most programs take for granted.
  if (root.getTuple("children")!.getTuple("tmp") === undefined) place(root, "/tmp", Tuple.from({ children: {} }));
  for (const m of spec.mounts ?? []) {
    place(root, m.guest, Tuple.from({ children: {} }));
    copyTree(root, m.host, m.guest);
  }
  for (const f of spec.files ?? []) place(root, f.guest, Tuple.from({ contents: { host: f.host } }));
  place(root, guestPath, Tuple.from({ contents: { host: spec.program } }));
  root.set("program", guestPath);
  root.set("arguments", [guestPath, ...(spec.args ?? [])]);
  const env = root.getTuple("environment") ?? new Tuple();
  for (const [k, v] of Object.entries(spec.env ?? {})) env.set(k, v);
  root.set("environment", env);
  for (const [k, v] of Object.entries(spec.flags ?? {})) root.set(k, v);
  return root;
}

/**
 * The host files a program needs besides itself: for a dynamic ELF its interpreter (at its
 * PT_INTERP path) and its shared libraries (at their host paths), as ops puts them in images.
 */
export function programDependencies(program: string): Array<{ host: string; guest: string }> {
  const bytes = new Uint8Array(readFileSync(program));
  const image = parseElf(bytes);
  if (image.interpreter === undefined) return [];
  const files = [{ host: image.interpreter, guest: image.interpreter }];
  for (const lib of resolveLibraries(program)) if (lib.path !== image.interpreter) files.push({ host: lib.path, guest: lib.path });
  return files;
}

/** Makes the image bytes (TFS, as Nanos's mkfs lays it out). */
export function buildImage(spec: ImageSpec, onProgress?: (done: number, total: number) => void): Uint8Array {
  const device = new MemoryBlockDevice(2 ** 31);
  const { imageBytes } = mkfs(device, imageManifest(spec), { host: nodeMkfsHost(), ...(onProgress ? { onProgress } : {}) });
  const bytes = new Uint8Array(imageBytes);
  device.read(0, bytes);
  return bytes;
}
