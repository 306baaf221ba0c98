import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { createSyscalls, type SyscallDispatcher } from "./dispatch.js";
import { errnoName } from "./errno.js";
import { errnoOf } from "./linux-error.js";
import { FdTable } from "./fd-table.js";
import type { KernelHooks, SyscallContext, TraceEvent } from "./syscall-context.js";
import { syscallByName } from "./syscall-table.js";
import { ArrayUserMemory } from "./user-memory.js";
import { Vfs } from "./vfs/vfs.js";

/**
 * A syscall layer over a fresh in-memory TFS, 1 MiB of guest memory at 0x10000 and recording
 * console and kernel hooks: what the tests drive.
 *
 * @internal test support, not exported.
 */
export class TestMachine {
  readonly fs = Tfs.format(new MemoryBlockDevice(64 * 2 ** 20));
  readonly mem = new ArrayUserMemory(2 ** 20, 0x10000);
  readonly fds = new FdTable();
  readonly stdout: number[] = [];
  readonly stderr: number[] = [];
  readonly exits: Array<{ code: number; group: boolean }> = [];
  readonly traces: TraceEvent[] = [];
  readonly internalErrors: unknown[] = [];
  stdin: Uint8Array[] = [];
  readonly vfs: Vfs;
  readonly sys: SyscallDispatcher;
  #heap: number;

  constructor(options: { kernel?: Partial<KernelHooks>; ctx?: Partial<SyscallContext>; programPath?: string } = {}) {
    let seed = 1;
    const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    this.vfs = new Vfs({ fs: this.fs, random, programPath: options.programPath ?? "/bin/prog", procMaps: () => "00400000-00401000 r-xp 00000000 00:00 0 /bin/prog\n" });
    this.#heap = this.mem.base + 0x80000;
    this.sys = createSyscalls({
      memory: this.mem,
      vfs: this.vfs,
      fds: this.fds,
      random,
      console: {
        stdout: (b) => this.stdout.push(...b),
        stderr: (b) => this.stderr.push(...b),
        stdin: () => this.stdin.shift(),
      },
      kernel: { exit: (code, group) => this.exits.push({ code, group }), ...options.kernel },
      clocks: { realtime: () => 1_700_000_000_123_456_789n, monotonic: () => 5_250_000_000n },
      trace: (e) => this.traces.push(e),
      onInternalError: (e) => this.internalErrors.push(e),
      ...options.ctx,
    });
  }

  /** Calls a syscall by name. */
  call(name: string, ...args: number[]): number {
    const info = syscallByName(name);
    if (info === undefined) throw new Error(`no syscall ${name}`);
    return this.sys(info.nr, [...args, 0, 0, 0, 0, 0, 0].slice(0, 6));
  }

  /** Guest memory for `bytes` (or `size` zero bytes); returns its address. */
  alloc(bytes: Uint8Array | number): number {
    const data = typeof bytes === "number" ? new Uint8Array(bytes) : bytes;
    const addr = this.#heap;
    this.#heap += (data.length + 15) & ~15;
    if (!this.mem.write(addr, data)) throw new Error("test machine out of memory");
    return addr;
  }

  /** A NUL-terminated string in guest memory. */
  str(s: string): number {
    return this.alloc(new TextEncoder().encode(`${s}\0`));
  }

  /** Guest bytes as text. */
  text(addr: number, len: number): string {
    return new TextDecoder().decode(this.mem.read(addr, len));
  }

  /** The last trace line. */
  get lastTrace(): string {
    return this.traces[this.traces.length - 1]?.text ?? "";
  }
}

/** An address nothing maps (below the test memory). */
export const BAD_ADDRESS = 0x1000;

/** The errno name `f` fails with (a LinuxError or a TFS FsError), or "ok". */
export function errnoCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    const n = errnoOf(e);
    if (n === undefined) throw e;
    return errnoName(n) ?? String(n);
  }
  return "ok";
}

/** The error code a host (Node `fs`) call fails with, or "ok": the other side of the differential tests. */
export function hostCode(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? "?";
  }
}
