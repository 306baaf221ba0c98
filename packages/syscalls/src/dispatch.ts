import { Errno } from "./errno.js";
import { errnoOf } from "./linux-error.js";
import { AccessMode } from "./linux-constants.js";
import { fdSyscalls } from "./handlers/fd-syscalls.js";
import { ioSyscalls } from "./handlers/io-syscalls.js";
import { pathSyscalls } from "./handlers/path-syscalls.js";
import type { HandlerEnv } from "./handlers/handler-env.js";
import { memorySyscalls } from "./handlers/memory-syscalls.js";
import { DEFAULT_LIMITS, processSyscalls } from "./handlers/process-syscalls.js";
import { signalSyscalls } from "./handlers/signal-syscalls.js";
import { hostClocks, timeSyscalls } from "./handlers/time-syscalls.js";
import { ProcessState } from "./process-state.js";
import { hex } from "./flag-names.js";
import { formatResult, formatSyscall } from "./strace.js";
import type { SyscallArgs, SyscallContext, SyscallHandler } from "./syscall-context.js";
import { syscallInfo, syscallName, SYSCALLS } from "./syscall-table.js";

/** Calls a syscall by number with its six argument registers; returns the result or a negative errno. */
export type SyscallDispatcher = ((nr: number, args: SyscallArgs) => number) & {
  /** The process state the calls record (signal actions, umask, robust list…). */
  readonly state: ProcessState;
  /** Names of the syscalls that have an implementation here (or in `overrides`). */
  readonly implemented: ReadonlySet<string>;
};

const NO_ARGS: readonly number[] = [0, 0, 0, 0, 0, 0];

/**
 * Six integer registers. Registers are integers by contract; a caller's fractions are
 * truncated and NaN or infinities read as -1 (all ones: an address nothing maps), so the
 * handlers and the kernel's hooks only ever see integers.
 */
function registers(args: SyscallArgs): SyscallArgs {
  let clean = args.length >= 6;
  for (const a of args) if (!Number.isInteger(a)) clean = false;
  if (clean) return args;
  return [...args, ...NO_ARGS].slice(0, 6).map((a) => (Number.isFinite(a) ? Math.trunc(a) || 0 : -1));
}

/**
 * The syscall entry point of the unix personality. Nanos's rules decide what each number
 * does: a syscall Nanos implements runs here with Linux semantics (or `ENOSYS` when this
 * layer does not have it yet: the kernel adds those through `ctx.overrides`); one Nanos marks
 * `syscall_ignore` returns 0; every other number returns `ENOSYS`. Nothing a guest passes can
 * make it throw: Linux errors become negative errnos, and any other exception is reported to
 * `ctx.onInternalError` and returned as `EIO`.
 *
 * fds 0, 1 and 2 are opened on the console (read-write, as on Nanos) unless already taken.
 *
 * @example
 * ```ts
 * const syscalls = createSyscalls({ memory, vfs, fds: new FdTable(), console, kernel, random });
 * syscalls(1, [1, bufferAddress, 6, 0, 0, 0]); // write(1, "hello\n", 6) → 6
 * ```
 */
export function createSyscalls(ctx: SyscallContext): SyscallDispatcher {
  const clocks = ctx.clocks ?? hostClocks;
  const state = new ProcessState(ctx.limits?.stack ?? DEFAULT_LIMITS.stack);
  const env: HandlerEnv = {
    ctx,
    mem: ctx.memory,
    vfs: ctx.vfs,
    fds: ctx.fds,
    state,
    realtime: () => clocks.realtime(),
    monotonic: () => clocks.monotonic(),
  };
  const handlers: Record<string, SyscallHandler> = {
    ...ioSyscalls(env),
    ...fdSyscalls(env),
    ...pathSyscalls(env),
    ...processSyscalls(env),
    ...timeSyscalls(env),
    ...memorySyscalls(env),
    ...signalSyscalls(env),
    ...ctx.overrides,
  };
  installConsole(ctx);

  const byNumber: Array<SyscallHandler | undefined> = [];
  for (const s of SYSCALLS) {
    if (s.nanos === "unsupported") continue;
    byNumber[s.nr] = handlers[s.name] ?? (s.nanos === "ignored" ? () => 0 : undefined);
  }

  const run = (nr: number, args: SyscallArgs): number => {
    const handler = Number.isInteger(nr) && nr >= 0 ? byNumber[nr] : undefined;
    if (handler === undefined) return -Errno.ENOSYS;
    try {
      const result = handler(registers(args));
      return typeof result === "number" && Number.isFinite(result) ? result : -Errno.EIO;
    } catch (e) {
      const errno = errnoOf(e);
      if (errno !== undefined) return -errno;
      ctx.onInternalError?.(e, nr, args);
      return -Errno.EIO;
    }
  };

  const dispatch = (nr: number, args: SyscallArgs): number => {
    const result = run(nr, args);
    if (ctx.trace !== undefined) {
      const name = syscallInfo(nr)?.name;
      const returned = name === "exit" || name === "exit_group" ? undefined : result;
      let text: string;
      try {
        text = formatSyscall(nr, args, returned, ctx.memory);
      } catch (e) {
        // A trace must never fail the call it describes; a formatting bug is reported.
        ctx.onInternalError?.(e, nr, args);
        text = `${syscallName(nr)}(${args.map(hex).join(", ")}) = ${formatResult(nr, returned)}`;
      }
      ctx.trace({ nr, args, result: returned, text });
    }
    return result;
  };

  const implemented = new Set(SYSCALLS.filter((s) => s.nanos === "supported" && handlers[s.name] !== undefined).map((s) => s.name));
  return Object.assign(dispatch, { state, implemented });
}

function installConsole(ctx: SyscallContext): void {
  const { vfs, fds, console } = ctx;
  const sinks = [undefined, console.stdout, console.stderr];
  for (let fd = 0; fd <= 2; fd++) {
    if (fds.has(fd)) continue;
    const desc = vfs.openConsole(AccessMode.O_RDWR, {
      write: sinks[fd] ?? console.stdout,
      ...(console.stdin === undefined ? {} : { read: console.stdin }),
    });
    fds.install(desc, false, fd);
  }
}
