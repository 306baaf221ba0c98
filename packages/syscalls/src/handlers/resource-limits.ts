import { fail } from "../linux-error.js";
import { Rlimit } from "../linux-constants.js";
import type { RlimitData } from "../structs/rlimit.js";

/** Linux's `nr_open`: the highest RLIMIT_NOFILE anyone may set. */
const NR_OPEN = 1_048_576;

/** The sizes the defaults are made from. @internal */
export interface LimitSizes {
  /** Guest RAM in bytes (RLIMIT_DATA, as Nanos: its physical heap). */
  memory: number;
  /** The mmap area in bytes (RLIMIT_AS, as Nanos: its virtual heap). */
  addressSpace: number;
  /** The process stack in bytes (RLIMIT_STACK's soft limit). */
  stack: number;
}

/**
 * The process's resource limits (getrlimit, setrlimit, prlimit64). Nanos's values where it
 * reports one (NOFILE 65536, CORE 0, DATA and AS from its heaps, STACK), Linux's defaults for
 * the rest; unlike Nanos, which keeps only RLIMIT_STACK, every limit set is read back, as on
 * Linux. Nothing enforces them (Nanos enforces none either).
 * @internal
 */
export class ResourceLimits {
  private readonly limits = new Map<number, RlimitData>();

  constructor(sizes: LimitSizes) {
    const fixed = (n: number): RlimitData => ({ cur: n, max: n });
    this.limits.set(Rlimit.RLIMIT_NOFILE, fixed(65536));
    this.limits.set(Rlimit.RLIMIT_STACK, { cur: sizes.stack, max: Infinity });
    this.limits.set(Rlimit.RLIMIT_CORE, fixed(0));
    this.limits.set(Rlimit.RLIMIT_DATA, fixed(sizes.memory));
    this.limits.set(Rlimit.RLIMIT_AS, fixed(sizes.addressSpace));
    this.limits.set(Rlimit.RLIMIT_MEMLOCK, fixed(8 * 2 ** 20));
    this.limits.set(Rlimit.RLIMIT_MSGQUEUE, fixed(819_200));
    this.limits.set(Rlimit.RLIMIT_NICE, fixed(0));
    this.limits.set(Rlimit.RLIMIT_RTPRIO, fixed(0));
  }

  /** The limit on `resource`; `EINVAL` for a resource Linux does not have. */
  get(resource: number): RlimitData {
    if (!(resource >= 0 && resource <= Rlimit.RLIMIT_RTTIME)) fail("EINVAL", `resource ${resource}`);
    return { ...(this.limits.get(resource) ?? { cur: Infinity, max: Infinity }) };
  }

  /**
   * Sets the limit on `resource`: `EINVAL` for an unknown resource or a soft limit above the
   * hard one, `EPERM` for RLIMIT_NOFILE above `nr_open` (as Linux, even for root).
   */
  set(resource: number, limit: RlimitData): void {
    this.get(resource);
    if (limit.cur > limit.max) fail("EINVAL", "soft limit above the hard limit");
    if (resource === Rlimit.RLIMIT_NOFILE && limit.max > NR_OPEN) fail("EPERM", "RLIMIT_NOFILE above nr_open");
    this.limits.set(resource, { ...limit });
  }
}
