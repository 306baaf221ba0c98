import { formatUuid } from "@nanots/tfs";
import { fail } from "../linux-error.js";
import { AccessMode, O_ACCMODE } from "../linux-constants.js";
import type { StatData } from "../structs/stat.js";
import { DeviceNumber, GeneratedFile, NullDevice, RandomDevice, ZeroDevice } from "./devices.js";
import type { FileDescription } from "./file-description.js";
import type { VfsOptions } from "./vfs.js";
import { VirtualDir, VirtualFile, VirtualLink, type Vnode } from "./vnode.js";

/** `/proc/meminfo` as Nanos writes it (kB, `%9ld`). */
function meminfoText(m: { total: number; free: number; cached: number }): string {
  const kb = (n: number): string => String(Math.floor(n / 1024)).padStart(9, " ");
  return (
    `MemTotal:     ${kb(m.total)} kB\nMemFree:      ${kb(m.free)} kB\nMemAvailable: ${kb(m.free + m.cached)} kB\n` +
    `Buffers:              0 kB\nSwapTotal:            0 kB\nSwapFree:             0 kB\nCached:       ${kb(m.cached)} kB\n`
  );
}

/**
 * Lays the kernel's files over the root: `/dev` (null, zero, urandom, random), `/proc`
 * (self/exe, self/maps, meminfo, mounts) and `/sys/devices/system/cpu`, as Nanos's
 * `unix/special.c` makes them: glibc wants `/proc/self/exe` absolute, the CPU list is `0-N`
 * even for one CPU, meminfo has Nanos's seven lines, mounts lists the root TFS.
 * @internal
 */
export function addKernelTree(root: VirtualDir, options: VfsOptions & { stat: (node: Vnode) => StatData }): void {
  const { stat, fs } = options;
  const device = (rdev: number, make: (flags: number, path: string, stat: () => StatData) => FileDescription): VirtualFile => {
    const node: VirtualFile = new VirtualFile("char", (flags, path) => make(flags, path, () => stat(node)), rdev);
    return node;
  };
  const random = (flags: number, path: string, s: () => StatData): FileDescription => new RandomDevice(flags, path, s, options.random);
  const text = (content: () => string): VirtualFile => {
    const node: VirtualFile = new VirtualFile("file", (flags, path) => {
      if ((flags & O_ACCMODE) !== AccessMode.O_RDONLY) fail("EACCES", `${path} is read-only`);
      return new GeneratedFile(flags, path, () => stat(node), new TextEncoder().encode(content()));
    });
    return node;
  };
  const dev = new VirtualDir()
    .add("null", device(DeviceNumber.null, (f, p, s) => new NullDevice(f, p, s)))
    .add("zero", device(DeviceNumber.zero, (f, p, s) => new ZeroDevice(f, p, s)))
    .add("urandom", device(DeviceNumber.urandom, random))
    .add("random", device(DeviceNumber.random, random));
  const program = options.programPath ?? "/program";
  const programPath = program.startsWith("/") ? program : `/${program}`;
  const maps = options.procMaps ?? (() => "");
  const cpus = Math.max(1, options.cpus ?? 1);
  const memory = options.meminfo ?? (() => ({ total: 512 * 2 ** 20, free: 512 * 2 ** 20, cached: 0 }));
  const self = new VirtualDir().add("exe", new VirtualLink(() => programPath)).add("maps", text(maps));
  const proc = new VirtualDir()
    .add("self", self)
    .add("meminfo", text(() => meminfoText(memory())))
    .add("mounts", text(() => `${fs.label === "" ? formatUuid(fs.uuid) : fs.label} / tfs ${options.readOnly === true ? "ro" : "rw"} 0 0\n`));
  const cpuDir = new VirtualDir().add("online", text(() => `0-${cpus - 1}\n`));
  for (let i = 0; i < cpus; i++) cpuDir.add(`cpu${i}`, new VirtualDir());
  const sys = new VirtualDir().add("devices", new VirtualDir().add("system", new VirtualDir().add("cpu", cpuDir)));
  root.add("dev", dev).add("proc", proc).add("sys", sys);
}
