import type { FdTable } from "../fd-table.js";
import type { ProcessState } from "../process-state.js";
import type { SyscallContext, SyscallHandler } from "../syscall-context.js";
import type { UserMemory } from "../user-memory.js";
import type { Vfs } from "../vfs/vfs.js";

/** What handler groups share. @internal */
export interface HandlerEnv {
  readonly ctx: SyscallContext;
  readonly mem: UserMemory;
  readonly vfs: Vfs;
  readonly fds: FdTable;
  readonly state: ProcessState;
  /** Realtime clock in nanoseconds. */
  readonly realtime: () => bigint;
  /** Monotonic clock in nanoseconds. */
  readonly monotonic: () => bigint;
}

/** Handlers by syscall name. @internal */
export type HandlerGroup = Record<string, SyscallHandler>;
