import { fail } from "../linux-error.js";
import { CapVersion, GrndFlag, Rlimit, Rusage } from "../linux-constants.js";
import { encodeRlimit, decodeRlimit, RLIMIT_SIZE } from "../structs/rlimit.js";
import { encodeSysinfo } from "../structs/sysinfo.js";
import { encodeUtsname, type Utsname } from "../structs/utsname.js";
import { readU32, writeU32, writeU64 } from "../user-memory.js";
import { copyIn, copyOut, int, transferIn, uint, usize } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";
import { PrctlState } from "./prctl.js";
import { cpuTime } from "./time-syscalls.js";
import { ResourceLimits } from "./resource-limits.js";

/** Nanos's `uname` values (sysname "Nanos", release "5.0-<version>_aaa", machine x86_64). */
export const NANOS_UNAME: Utsname = {
  sysname: "Nanos",
  nodename: "Nanos",
  release: "5.0-0.1.52_aaa",
  version: "nanots",
  machine: "x86_64",
  domainname: "",
};

const MIB = 2 ** 20;
/**
 * Default sizes getrlimit/sysinfo report, as Nanos: its process stack (`PROCESS_STACK_SIZE`,
 * 2 MiB), the mmap area from 4 GiB to the top of the 47-bit user half, 512 MiB of RAM.
 * @internal
 */
export const DEFAULT_LIMITS = { memory: 512 * MIB, addressSpace: 2 ** 47 - 2 ** 32, stack: 2 * MIB };

const CAP_VERSIONS: readonly number[] = Object.values(CapVersion);
const RUSAGE_SIZE = 144;
/** Offset of `ru_maxrss` in `struct rusage` (after the two timevals). */
const RUSAGE_MAXRSS = 32;


/** Identity, limits, resources, thread bookkeeping, exit. @internal */
export function processSyscalls(env: HandlerEnv): HandlerGroup {
  const { ctx, mem, state } = env;
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const tid = ctx.tid ?? (() => 1);
  const cpus = Math.max(1, Math.min(ctx.cpus ?? 1, 64));

  const self = (pid: number): void => {
    const p = int(pid);
    if (p !== 0 && p !== 1 && p !== tid()) fail("ESRCH", `pid ${p}`);
  };

  const rlimits = new ResourceLimits({ ...limits, stack: state.stackLimit });
  const setrlimit = (resource: number, addr: number): void => {
    const r = decodeRlimit(copyIn(mem, addr, RLIMIT_SIZE));
    rlimits.set(resource, r);
    if (resource === Rlimit.RLIMIT_STACK) state.stackLimit = r.cur;
  };
  let prctlState: PrctlState | undefined;
  const programPath = (): string => {
    try {
      return env.vfs.readlink("/", "/proc/self/exe");
    } catch {
      return "";
    }
  };

  const uptimeNs = (): bigint => env.monotonic();

  return {
    exit: ([code]) => {
      ctx.kernel.exit(int(code!) & 0xff, false);
      return 0;
    },
    exit_group: ([code]) => {
      ctx.kernel.exit(int(code!) & 0xff, true);
      return 0;
    },
    getpid: () => 1,
    gettid: () => tid(),
    uname: ([buf]) => {
      copyOut(mem, buf!, encodeUtsname({ ...NANOS_UNAME, ...ctx.uname }));
      return 0;
    },
    getrandom: ([buf, len, flags]) => {
      const f = uint(flags!);
      if ((f & ~(GrndFlag.GRND_NONBLOCK | GrndFlag.GRND_RANDOM | GrndFlag.GRND_INSECURE)) !== 0) fail("EINVAL", `flags ${f}`);
      if ((f & GrndFlag.GRND_RANDOM) !== 0 && (f & GrndFlag.GRND_INSECURE) !== 0) fail("EINVAL");
      return transferIn(mem, buf!, Math.min(usize(len!), 0x1ffffff), (n) => ctx.random(n));
    },
    getrlimit: ([resource, addr]) => {
      copyOut(mem, addr!, encodeRlimit(rlimits.get(uint(resource!))));
      return 0;
    },
    setrlimit: ([resource, addr]) => {
      setrlimit(uint(resource!), addr!);
      return 0;
    },
    prlimit64: ([pid, resource, newAddr, oldAddr]) => {
      self(pid!);
      const r = uint(resource!);
      const old = rlimits.get(r);
      if (newAddr !== 0) setrlimit(r, newAddr!);
      if (oldAddr !== 0) copyOut(mem, oldAddr!, encodeRlimit(old));
      return 0;
    },
    getrusage: ([who, addr]) => {
      const w = int(who!);
      if (w !== Rusage.RUSAGE_SELF && w !== Rusage.RUSAGE_CHILDREN && w !== Rusage.RUSAGE_THREAD) fail("EINVAL", `who ${w}`);
      const b = new Uint8Array(RUSAGE_SIZE);
      if (w !== Rusage.RUSAGE_CHILDREN) {
        // All of it user time: the kernel's own work is not told apart.
        const us = cpuTime(env, w === Rusage.RUSAGE_THREAD ? "thread" : "process") / 1000n;
        const v = new DataView(b.buffer);
        v.setBigInt64(0, us / 1_000_000n, true);
        v.setBigInt64(8, us % 1_000_000n, true);
        // ru_maxrss, in KiB: the process's (also for RUSAGE_THREAD, as Linux reports it).
        v.setBigInt64(RUSAGE_MAXRSS, BigInt(Math.floor((ctx.peakResidentMemory?.() ?? 0) / 1024)), true);
      }
      copyOut(mem, addr!, b);
      return 0;
    },
    times: ([addr]) => {
      // Clock ticks (USER_HZ = 100): elapsed since boot as the result, CPU time as tms_utime.
      if (addr !== 0) {
        const b = new Uint8Array(32);
        new DataView(b.buffer).setBigInt64(0, cpuTime(env, "process") / 10_000_000n, true);
        copyOut(mem, addr!, b);
      }
      return Number(uptimeNs() / 10_000_000n);
    },
    sysinfo: ([addr]) => {
      copyOut(mem, addr!, encodeSysinfo({
        uptime: Number(uptimeNs() / 1_000_000_000n), loads: [0, 0, 0], totalram: limits.memory, freeram: Math.max(0, Math.min(limits.memory, ctx.freeMemory?.() ?? limits.memory)),
        sharedram: 0, bufferram: 0, totalswap: 0, freeswap: 0, procs: 1, totalhigh: 0, freehigh: 0, memUnit: 1,
      }));
      return 0;
    },
    sched_yield: () => 0,
    sched_getaffinity: ([pid, len, addr]) => {
      self(pid!);
      const size = usize(len!);
      if (size < 8 || size % 8 !== 0) fail("EINVAL", "cpu set size");
      const mask = new Uint8Array(8);
      new DataView(mask.buffer).setBigUint64(0, (1n << BigInt(cpus)) - 1n, true);
      copyOut(mem, addr!, mask);
      return 8;
    },
    sched_setaffinity: ([pid, len, addr]) => {
      self(pid!);
      copyIn(mem, addr!, Math.min(usize(len!), 128));
      return 0;
    },
    prctl: ([option, arg2, arg3, arg4, arg5]) => {
      prctlState ??= new PrctlState(programPath());
      return prctlState.call(mem, tid(), option!, arg2!, arg3!, arg4!, arg5!);
    },
    capget: ([hdr, data]) => {
      const version = readU32(mem, hdr!);
      if (version === undefined) fail("EFAULT");
      if (!CAP_VERSIONS.includes(version)) {
        // An unknown version is answered with the preferred one: a probe (no data) succeeds.
        if (!writeU32(mem, hdr!, CAP_VERSIONS[2]!)) fail("EFAULT");
        if (data === 0) return 0;
        fail("EINVAL", "capability version");
      }
      if (data === 0) return 0;
      const pid = readU32(mem, hdr! + 4);
      if (pid === undefined) fail("EFAULT");
      if ((pid | 0) < 0) fail("EINVAL", "negative pid");
      self(pid);
      // No capabilities (Nanos has no privilege model to grant any).
      copyOut(mem, data!, new Uint8Array(version === CAP_VERSIONS[0] ? 12 : 24));
      return 0;
    },
    getcpu: ([cpu, node]) => {
      if (cpu !== 0 && !writeU32(mem, cpu!, 0)) fail("EFAULT");
      if (node !== 0 && !writeU32(mem, node!, 0)) fail("EFAULT");
      return 0;
    },
    set_tid_address: ([addr]) => {
      state.clearChildTid = addr!;
      return tid();
    },
    set_robust_list: ([head, len]) => {
      if (usize(len!) !== 24) fail("EINVAL", "robust list head size");
      state.robustList = head!;
      return 0;
    },
    get_robust_list: ([pid, headPtr, lenPtr]) => {
      self(pid!);
      if (!writeU64(mem, headPtr!, state.robustList) || !writeU64(mem, lenPtr!, 24)) fail("EFAULT");
      return 0;
    },
  };
}
