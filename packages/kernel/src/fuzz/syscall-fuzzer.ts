// Hostile system calls against a booted machine, reproducible from a seed. Random numbers and
// arguments — small integers and fds, flags, huge and negative values, pointers into a mapped
// buffer of random bytes (with path strings in it), into code, and outside guest memory — must
// only ever produce a number: never an exception, a hang or a corrupted host.
import { syscallName } from "@nanots/syscalls";
import type { Booted } from "../boot/boot.js";
import { ThreadState } from "../threads/guest-thread.js";

/** Calls that end or replace the process: the fuzzer leaves them to other tests. */
const LEFT_OUT = new Set([60, 231, 59, 322, 57, 58]); // exit, exit_group, execve, execveat, fork, vfork

/** A buffer the fuzzer maps in the guest, whose addresses make plausible pointers. */
const BUFFER_BYTES = 64 * 1024;
const PATHS = ["/tmp/fuzz", "/tmp", "/hello", ".", "/proc/self/maps", "/dev/null", "/tmp/fuzz/a/b"];

/** A call the machine answered with something other than a number, or threw on. */
export class FuzzFailure extends Error {
  override name = "FuzzFailure";
}

/** What a fuzzing run did. */
export interface FuzzReport {
  /** How many calls were asked for. */
  calls: number;
  /** How many calls were made (those that would end the process are left out). */
  made: number;
  /** How many calls returned each errno (0 for success). */
  errnos: Map<number, number>;
  /** The slowest call, as text, and its time in milliseconds. */
  slowest: { call: string; ms: number };
}

/** xorshift64*: a small seeded generator, so any failure is reproducible from its seed. */
function generator(seed: number) {
  let s = BigInt(seed) ^ 0x9e3779b97f4a7c15n;
  if (s === 0n) s = 1n;
  const mask = (1n << 64n) - 1n;
  return (): number => {
    s ^= s >> 12n;
    s = (s ^ (s << 25n)) & mask;
    s ^= s >> 27n;
    return Number(((s * 0x2545f4914f6cdd1dn) & mask) >> 11n) / 2 ** 53;
  };
}

/** Describes a call for a failure report: `openat(3, 0x7f12…, -1, …)`. */
function describeCall(nr: number, args: readonly number[]): string {
  return `${syscallName(nr)}(${args.map((a) => (a < 0 ? String(a) : `0x${a.toString(16)}`)).join(", ")})`;
}

/**
 * Makes `calls` random syscalls on a booted machine that has not run yet, from `seed`.
 * Throws {@link FuzzFailure} (naming the seed, the call and its index) when the machine answers
 * one with anything but an integer.
 */
export function fuzzSyscalls(vm: Booted, seed: number, calls: number): FuzzReport {
  const m = vm.machine;
  const random = generator(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;

  // A readable, writable buffer of random bytes, with NUL-terminated paths at known offsets.
  const buffer = m.syscalls(9, [0, BUFFER_BYTES, 3, 0x22, -1, 0], m);
  if (!(buffer > 0)) throw new FuzzFailure(`could not map the fuzzer's buffer (mmap returned ${buffer})`);
  const bytes = new Uint8Array(BUFFER_BYTES).map(() => int(256));
  const pathAt: number[] = [];
  let at = BUFFER_BYTES - 1024;
  for (const path of PATHS) {
    pathAt.push(buffer + at);
    bytes.set(new TextEncoder().encode(`${path}\0`), at);
    at += path.length + 1;
  }
  m.space.write(buffer, bytes);
  const code = m.cpu.rip;

  const argument = (): number => {
    switch (int(9)) {
      case 0:
        return int(16); // fds, small counts, flags
      case 1:
        return int(4097) - 16;
      case 2:
        return buffer + int(BUFFER_BYTES); // inside the buffer, maybe unaligned
      case 3:
        return pick(pathAt);
      case 4:
        return pick([code, code & ~0xfff, buffer + BUFFER_BYTES - 8, buffer + BUFFER_BYTES]); // code; the end of the buffer
      case 5:
        return pick([0, 1, -1, 0xfffff000, 2 ** 32, 2 ** 47 - 8, 2 ** 47, 2 ** 53 - 1, -(2 ** 53), 0x7fffffff, 0x80000000]);
      case 6:
        return 1 << int(32); // single flag bits
      default:
        return Math.floor(random() * 2 ** 48);
    }
  };

  const errnos = new Map<number, number>();
  let slowest = { call: "", ms: -1 };
  let made = 0;
  for (let i = 0; i < calls; i++) {
    // Mostly real syscall numbers, sometimes nonsense.
    const nr = random() < 0.97 ? int(460) : pick([-1, -5, 460, 1000, 2 ** 31, 2 ** 53 - 1]);
    if (LEFT_OUT.has(nr)) continue;
    const args = Array.from({ length: 6 }, argument);
    made++;
    const started = performance.now();
    let result: number;
    try {
      result = m.syscalls(nr, args, m);
    } catch (e) {
      throw new FuzzFailure(`seed ${seed}, call ${i}: ${describeCall(nr, args)} threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { call: describeCall(nr, args), ms };
    if (!Number.isInteger(result)) throw new FuzzFailure(`seed ${seed}, call ${i}: ${describeCall(nr, args)} returned ${String(result)}`);
    const errno = result < 0 && result >= -4095 ? -result : 0;
    errnos.set(errno, (errnos.get(errno) ?? 0) + 1);
    // A call that would block the thread (a futex wait, a sleep, a read of an empty pipe) is
    // abandoned: the next call starts from a running thread again.
    m.scheduler.restartPending = false;
    m.registersRestored = false;
    for (const t of m.scheduler.threads) {
      if (t.state !== ThreadState.Blocked) continue;
      t.state = ThreadState.Runnable;
      t.wait = undefined;
    }
  }
  return { calls, made, errnos, slowest };
}
