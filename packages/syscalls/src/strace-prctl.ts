import { hex, signalName } from "./flag-names.js";
import { isErrorResult } from "./errno.js";
import { Prctl } from "./linux-constants.js";
import { quoteBytes } from "./quote-bytes.js";
import { readI32, type UserMemory } from "./user-memory.js";

const NAME_SIZE = 16;
const DUMPABLE = ["SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT"];
/** Options strace shows without arguments: the result says it all. */
const OPTION_ONLY = new Set<number>([Prctl.PR_GET_DUMPABLE, Prctl.PR_GET_KEEPCAPS, Prctl.PR_GET_TIMERSLACK]);
/** Options whose four arguments are numbers (the unused ones must be 0). */
const FOUR_NUMBERS = new Set<number>([Prctl.PR_SET_NO_NEW_PRIVS, Prctl.PR_GET_NO_NEW_PRIVS, Prctl.PR_SET_THP_DISABLE, Prctl.PR_GET_THP_DISABLE]);

/**
 * prctl's arguments as strace shows them, by option: `PR_SET_NAME, "worker"`,
 * `PR_SET_PDEATHSIG, SIGTERM`, `PR_GET_PDEATHSIG, [SIGTERM]`, `PR_GET_DUMPABLE`. The option
 * itself is the first element (its name from `option`).
 * @internal
 */
export function formatPrctlArgs(args: readonly number[], result: number | undefined, mem: UserMemory, option: string): string[] {
  const op = (args[0] ?? 0) | 0;
  const [a2 = 0, a3 = 0, a4 = 0, a5 = 0] = args.slice(1);
  const ok = result !== undefined && !isErrorResult(result);
  const name = (): string => {
    const b = mem.read(a2, NAME_SIZE);
    if (b === undefined) return hex(a2);
    const nul = b.indexOf(0);
    return quoteBytes(nul < 0 ? b : b.subarray(0, nul), NAME_SIZE);
  };
  const pointedInt = (show: (v: number) => string): string => {
    const v = ok ? readI32(mem, a2) : undefined;
    return v === undefined ? hex(a2) : `[${show(v)}]`;
  };
  if (OPTION_ONLY.has(op)) return [option];
  if (FOUR_NUMBERS.has(op)) return [option, String(a2), String(a3), String(a4), String(a5)];
  switch (op) {
    case Prctl.PR_SET_NAME: return [option, name()];
    case Prctl.PR_GET_NAME: return [option, ok ? name() : hex(a2)];
    case Prctl.PR_SET_PDEATHSIG: return [option, a2 === 0 ? "0" : signalName(a2)];
    case Prctl.PR_GET_PDEATHSIG: return [option, pointedInt((v) => (v === 0 ? "0" : signalName(v)))];
    case Prctl.PR_GET_CHILD_SUBREAPER: return [option, pointedInt(String)];
    case Prctl.PR_SET_DUMPABLE: return [option, DUMPABLE[a2] ?? String(a2)];
    case Prctl.PR_SET_KEEPCAPS: case Prctl.PR_SET_TIMERSLACK: case Prctl.PR_SET_CHILD_SUBREAPER: case Prctl.PR_CAPBSET_READ:
      return [option, String(a2)];
    default: return [option, hex(a2), hex(a3), hex(a4), hex(a5)];
  }
}
