// Boot as Nanos does: probe the root disk (virtio-blk), mount TFS through the page cache, read the
// manifest (the root tuple), load the program it names and run it with the syscall layer.
import { createSyscalls, FdTable, Vfs, type TraceEvent } from "@nanots/syscalls";
import { Tfs } from "@nanots/tfs";
import type { Tuple } from "@nanots/tuple";
import type { BlockBackend } from "@nanots/virtio";
import { parseElf } from "../elf/parse-elf.js";
import { Machine } from "../run/machine.js";
import { kernelClocks, kernelHooks } from "../run/kernel-syscalls.js";
import { VirtioDisk } from "../storage/virtio-disk.js";
import { VirtioEntropy } from "../devices/virtio-entropy.js";
import { threadSyscalls } from "../threads/thread-syscalls.js";
import { ioSyscalls } from "../io/io-syscalls.js";
import { aioSyscalls } from "../aio/aio-syscalls.js";
import { ioUringSyscalls } from "../aio/io-uring-syscalls.js";
import { SignalDelivery } from "../signals/signal-delivery.js";
import { signalSyscalls } from "../signals/signal-syscalls.js";
import { timerSyscalls } from "../timers/timer-syscalls.js";
import { socketSyscalls } from "../net/socket-syscalls.js";

/** A boot that cannot proceed: the message is meant for the person who ran it. */
export class BootError extends Error {
  override name = "BootError";
}

/** Options of {@link boot}. */
export interface BootOptions {
  /** The root disk image. */
  disk: BlockBackend;
  /** Guest RAM in bytes (default 256 MiB). */
  memoryBytes?: number;
  /** Program output. */
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
  /** Program input (fd 0); default: end of file. */
  stdin?: (length: number) => Uint8Array | undefined;
  /** Every finished syscall, strace-style (`-d`, the `debugsyscalls` manifest flag). */
  trace?: (event: TraceEvent) => void;
  /** Address-space randomisation; default: on unless the manifest says `noaslr`. */
  aslr?: boolean;
  /** Randomness (AT_RANDOM, getrandom, /dev/urandom, ASLR); default: the virtio-rng device. */
  random?: (bytes: Uint8Array) => void;
}

/** A booted machine, ready to run. */
export interface Booted {
  machine: Machine;
  fs: Tfs;
  manifest: Tuple;
  /** Runs the program to its end; resolves to its exit status (128 + signal after a crash). */
  run(): Promise<number>;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

/** Boots the image: throws BootError when the disk is not a bootable nanots/Nanos image. */
export function boot(options: BootOptions): Booted {
  const machine = new Machine(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {});
  // Randomness comes from a virtio-rng device (the host's CSPRNG behind it), unless given.
  const entropy = new VirtioEntropy(machine.cpu.memory, machine.frames);
  const random = options.random ?? ((b: Uint8Array) => entropy.fill(b));
  machine.random = random;
  const disk = new VirtioDisk({ ram: machine.cpu.memory, frames: machine.frames, backend: options.disk });
  let fs: Tfs;
  try {
    // A read-only disk is mounted read-only: nothing is ever written to it, not even at exit.
    fs = Tfs.mount(disk, { readOnly: options.disk.readOnly === true });
  } catch (e) {
    throw new BootError(`the disk image is not a TFS filesystem (${e instanceof Error ? e.message : String(e)})`);
  }
  const manifest = fs.root;
  const program = manifest.getString("program");
  if (program === undefined) throw new BootError("the image's manifest names no program (the root tuple needs program:/path)");
  let file: Uint8Array;
  try {
    file = fs.readFile(program);
  } catch {
    throw new BootError(`the program ${program} named by the manifest is not in the image`);
  }
  const argv = stringsOf(manifest.getVector("arguments"));
  if (argv.length === 0) argv.push(program);
  const envTuple = manifest.getTuple("environment");
  const env = envTuple === undefined ? [] : [...envTuple].map(([k, v]) => `${k.toString()}=${String(v)}`);
  const aslr = options.aslr ?? manifest.get("noaslr") === undefined;
  const cwd = manifest.getString("cwd");
  machine.aslr = aslr;
  let interpreter: { file: Uint8Array; path: string } | undefined;
  const interpreterPath = parseElf(file).interpreter;
  if (interpreterPath !== undefined) {
    try {
      interpreter = { file: fs.readFile(interpreterPath), path: interpreterPath };
    } catch {
      throw new BootError(`${program} is dynamically linked, but its interpreter ${interpreterPath} is not in the image`);
    }
  }
  machine.load({ file, path: program, argv, env, ...(interpreter ? { interpreter } : {}) });

  // The debugsyscalls manifest flag logs to the console as -d does.
  const traceSink = options.trace ?? (manifest.get("debugsyscalls") !== undefined ? (e: TraceEvent) => options.stderr(new TextEncoder().encode(`${e.text}\n`)) : undefined);
  // A call that blocks runs again when woken: it is traced once, with the result it ends with,
  // as strace shows it (not once per attempt).
  const trace = traceSink && ((e: TraceEvent) => void (machine.scheduler.restartPending || traceSink(e)));
  const vfs = new Vfs({
    fs,
    random: (n) => {
      const b = new Uint8Array(n);
      random(b);
      return b;
    },
    programPath: program,
    procMaps: () => machine.space.describe(),
    // /proc/meminfo as Nanos computes it: guest RAM, less the frames in use.
    meminfo: () => ({ total: machine.cpu.mem.length, free: machine.cpu.mem.length - machine.frames.inUse * 4096, cached: 0 }),
    // Nanos's readonly_rootfs manifest flag: nothing in the root filesystem may change (EROFS).
    readOnly: manifest.get("readonly_rootfs") !== undefined || !fs.writable,
    ...(cwd !== undefined ? { cwd } : {}),
  });
  const fds = new FdTable();
  // Signal delivery acts on the actions the syscall layer records (attached below).
  const signals = new SignalDelivery(machine);
  const dispatch = createSyscalls({
    memory: machine.space,
    vfs,
    fds,
    console: { stdout: options.stdout, stderr: options.stderr, ...(options.stdin ? { stdin: options.stdin } : {}) },
    kernel: kernelHooks(machine),
    random: (n) => {
      const b = new Uint8Array(n);
      random(b);
      return b;
    },
    ...(trace ? { trace } : {}),
    tid: () => machine.scheduler.current.tid,
    limits: { memory: machine.cpu.mem.length },
    freeMemory: () => machine.cpu.mem.length - machine.frames.inUse * 4096,
    peakResidentMemory: () => machine.space.peakResidentPages * 4096,
    clocks: kernelClocks(machine.scheduler),
    overrides: {
      ...threadSyscalls({ scheduler: machine.scheduler, memory: machine.space }),
      ...ioSyscalls({ scheduler: machine.scheduler, memory: machine.space, fds, raise: (signo) => signals.raise(signo) }),
      ...aioSyscalls({ scheduler: machine.scheduler, memory: machine.space, fds, mm: () => machine.mm }),
      ...ioUringSyscalls({ scheduler: machine.scheduler, memory: machine.space, fds, ram: machine.cpu.mem, frames: machine.frames }),
      ...signalSyscalls(machine, signals, fds),
      ...timerSyscalls(machine, signals),
      ...socketSyscalls({ machine, vfs, fds }),
    },
  });
  machine.syscalls = (nr, args) => dispatch(nr, args);
  signals.attach(dispatch.state);
  machine.signals = signals;
  return {
    machine,
    fs,
    manifest,
    run: async () => {
      const status = await machine.run();
      fs.sync();
      return status;
    },
  };
}

