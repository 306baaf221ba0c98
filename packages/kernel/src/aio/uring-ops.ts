// The io_uring operations: each submission queue entry runs now (file I/O here is
// synchronous) or, when it waits for readiness or a time, later; either way its result becomes
// a completion. Errors of an operation are its completion's result, never the submission's.
import { decodeIovecs, decodeTimespec, errnoOf, fail, FdTable, IOVEC_SIZE, TIMESPEC_SIZE, type FileDescription, type Iovec, type UserMemory } from "@nanots/syscalls";
import { isPollable } from "../io/readiness.js";
import type { Scheduler } from "../threads/scheduler.js";
import { MAX_RW_COUNT, readIntoBuffers, runWhenReady, writeFromBuffers } from "./file-io.js";
import { IoUring, type PendingOp } from "./io-uring.js";

/** The opcodes implemented (Linux's numbers). */
export const IoringOp = {
  NOP: 0,
  READV: 1,
  WRITEV: 2,
  FSYNC: 3,
  READ_FIXED: 4,
  WRITE_FIXED: 5,
  POLL_ADD: 6,
  POLL_REMOVE: 7,
  TIMEOUT: 11,
  TIMEOUT_REMOVE: 12,
  CLOSE: 19,
  READ: 22,
  WRITE: 23,
} as const;

const IOSQE_FIXED_FILE = 1;
const IOSQE_IO_LINK = 4;
/** IO_DRAIN, IO_LINK, IO_HARDLINK, ASYNC: ordering, met by running entries in order. */
const IOSQE_ORDERING = 2 | IOSQE_IO_LINK | 8 | 16;
const IORING_FSYNC_DATASYNC = 1;
const IORING_TIMEOUT_ABS = 1;
const UIO_MAXIOV = 1024;
const ETIME = 62;
const ECANCELED = 125;
const ENOENT = 2;
/** off = -1: use (and move) the file position (IORING_FEAT_RW_CUR_POS). */
const CURRENT_POSITION = 0xffffffffffffffffn;

/** What the operations act on. */
export interface UringEnv {
  memory: UserMemory;
  fds: FdTable;
  scheduler: Scheduler;
}

/** struct io_uring_sqe, the fields the operations use. */
interface Sqe {
  opcode: number;
  flags: number;
  fd: number;
  off: bigint;
  addr: number;
  len: number;
  opFlags: number;
  userData: bigint;
  bufIndex: number;
}

function decodeSqe(b: Uint8Array): Sqe {
  const v = new DataView(b.buffer, b.byteOffset, 64);
  return {
    opcode: v.getUint8(0),
    flags: v.getUint8(1),
    fd: v.getInt32(4, true),
    off: v.getBigUint64(8, true),
    addr: Number(v.getBigUint64(16, true)),
    len: v.getUint32(24, true),
    opFlags: v.getUint32(28, true),
    userData: v.getBigUint64(32, true),
    bufIndex: v.getUint16(40, true),
  };
}

/** What submitting one entry did. */
export interface Submitted {
  /** False when the entry failed Linux's preparation checks: submission stops there. */
  ok: boolean;
  /** The entry is linked (IOSQE_IO_LINK) and failed: the rest of its chain is cancelled. */
  breaksChain: boolean;
}

/**
 * Submits one submission queue entry. Checks Linux makes when it prepares an entry fail it
 * at once (its completion carries the error, and the caller stops submitting, as Linux does
 * without IORING_SETUP_SUBMIT_ALL); errors while the operation runs only go to its completion.
 * An entry after a failed link completes with ECANCELED without running.
 */
export function submitSqe(ring: IoUring, bytes: Uint8Array, env: UringEnv, afterFailedLink = false): Submitted {
  const sqe = decodeSqe(bytes);
  const linked = (sqe.flags & IOSQE_IO_LINK) !== 0;
  let result: number | undefined;
  const post = (res: number, async = false): void => {
    if (!async) result = res;
    ring.post(sqe.userData, res, async);
  };
  if (afterFailedLink) {
    post(-ECANCELED);
    return { ok: true, breaksChain: linked };
  }
  let issue: () => void;
  try {
    issue = prepare(ring, sqe, env, post);
  } catch (e) {
    post(-errnoOrThrow(e));
    return { ok: false, breaksChain: false };
  }
  try {
    issue();
  } catch (e) {
    post(-errnoOrThrow(e));
  }
  return { ok: true, breaksChain: linked && result !== undefined && result < 0 };
}

function errnoOrThrow(e: unknown): number {
  const errno = errnoOf(e);
  if (errno === undefined) throw e;
  return errno;
}

/** Checks an entry as Linux's prep step does; returns what issues it. */
function prepare(ring: IoUring, sqe: Sqe, env: UringEnv, post: (res: number, async?: boolean) => void): () => void {
  const { memory, fds } = env;
  if ((sqe.flags & ~(IOSQE_FIXED_FILE | IOSQE_ORDERING)) !== 0) fail("EINVAL", "sqe flags");
  const file = (): FileDescription => ((sqe.flags & IOSQE_FIXED_FILE) !== 0 ? ring.fixedFile(sqe.fd) : fds.get(sqe.fd));
  const position = sqe.off === CURRENT_POSITION ? undefined : Number(BigInt.asIntN(64, sqe.off));
  const transfer = (writing: boolean, buffers: () => Iovec[]) => (): void => {
    const desc = file();
    if (position !== undefined && position < 0) fail("EINVAL", "negative offset");
    if (writing ? !desc.writable : !desc.readable) fail("EBADF");
    const list = buffers();
    const op = writing ? () => writeFromBuffers(memory, desc, list, position) : () => readIntoBuffers(memory, desc, list, position);
    let now = true;
    // Left waiting (an empty pipe), it is pending: cancelled, with ECANCELED, when the ring closes.
    const pending: PendingOp = {
      userData: sqe.userData,
      kind: "io",
      cancel: () => {
        abandon?.();
        ring.pending.delete(pending);
        post(-ECANCELED, true);
      },
    };
    const abandon = runWhenReady(desc, op, (res) => {
      ring.pending.delete(pending);
      post(res, !now);
    });
    if (abandon !== undefined) ring.pending.add(pending);
    now = false;
  };
  const vector = (): Iovec[] => {
    if (sqe.len > UIO_MAXIOV) fail("EINVAL", "too many iovecs");
    const b = memory.read(sqe.addr, sqe.len * IOVEC_SIZE);
    if (b === undefined) fail("EFAULT");
    return decodeIovecs(b);
  };
  const fixed = (): Iovec[] => {
    const buffer = ring.buffers?.[sqe.bufIndex];
    if (buffer === undefined || sqe.addr < buffer.base || sqe.addr + sqe.len > buffer.base + buffer.len) fail("EFAULT", "outside the registered buffer");
    return [{ base: sqe.addr, len: sqe.len }];
  };
  const single = (): Iovec[] => [{ base: sqe.addr, len: Math.min(sqe.len, MAX_RW_COUNT) }];

  switch (sqe.opcode) {
    case IoringOp.NOP:
      return () => post(0);
    case IoringOp.READV:
      return transfer(false, vector);
    case IoringOp.WRITEV:
      return transfer(true, vector);
    case IoringOp.READ:
      return transfer(false, single);
    case IoringOp.WRITE:
      return transfer(true, single);
    case IoringOp.READ_FIXED:
      if (ring.buffers === undefined || sqe.bufIndex >= ring.buffers.length) fail("EFAULT", "no such registered buffer");
      return transfer(false, fixed);
    case IoringOp.WRITE_FIXED:
      if (ring.buffers === undefined || sqe.bufIndex >= ring.buffers.length) fail("EFAULT", "no such registered buffer");
      return transfer(true, fixed);
    case IoringOp.FSYNC:
      if (sqe.addr !== 0 || sqe.bufIndex !== 0 || (sqe.opFlags & ~IORING_FSYNC_DATASYNC) !== 0) fail("EINVAL", "fsync flags");
      return () => {
        file().sync();
        post(0);
      };
    case IoringOp.POLL_ADD:
      if (sqe.addr !== 0 || sqe.off !== 0n || sqe.bufIndex !== 0) fail("EINVAL", "poll_add takes no buffer");
      return () => pollAdd(ring, file(), sqe, post);
    case IoringOp.POLL_REMOVE:
      return () => post(cancel(ring, "poll", BigInt(sqe.addr)) ? 0 : -ENOENT);
    case IoringOp.TIMEOUT:
      return timeout(ring, sqe, env);
    case IoringOp.TIMEOUT_REMOVE:
      if (sqe.opFlags !== 0) fail("EINVAL", "timeout_remove flags");
      return () => post(cancel(ring, "timeout", BigInt(sqe.addr)) ? 0 : -ENOENT);
    case IoringOp.CLOSE:
      if (sqe.off !== 0n || sqe.addr !== 0 || sqe.len !== 0 || sqe.opFlags !== 0 || sqe.bufIndex !== 0) fail("EINVAL", "close takes only an fd");
      if ((sqe.flags & IOSQE_FIXED_FILE) !== 0) fail("EBADF");
      return () => {
        if (fds.get(sqe.fd) instanceof IoUring) fail("EBADF", "an io_uring cannot close itself");
        fds.close(sqe.fd);
        post(0);
      };
    default:
      fail("EINVAL", `opcode ${sqe.opcode}`);
  }
}

/** Cancels the pending operation of `kind` with `userData` (it completes with ECANCELED). */
function cancel(ring: IoUring, kind: PendingOp["kind"], userData: bigint): boolean {
  for (const op of ring.pending) {
    if (op.kind === kind && op.userData === userData) {
      op.cancel();
      return true;
    }
  }
  return false;
}

/** POLL_ADD: completes once with the ready events (one-shot). */
function pollAdd(ring: IoUring, desc: FileDescription, sqe: Sqe, post: (res: number, async?: boolean) => void): void {
  const wanted = sqe.opFlags | 0x18; // POLLERR and POLLHUP always
  const bits = (): number => (isPollable(desc) ? desc.poll() : 0x5 /* POLLIN|POLLOUT */) & wanted;
  if (bits() !== 0 || !isPollable(desc)) return post(bits());
  const unwatch = desc.readiness.watch(() => {
    const ready = bits();
    if (ready === 0) return;
    finish();
    post(ready, true);
  });
  const op: PendingOp = {
    userData: sqe.userData,
    kind: "poll",
    cancel: () => {
      finish();
      post(-ECANCELED, true);
    },
  };
  const finish = (): void => {
    unwatch();
    ring.pending.delete(op);
  };
  ring.pending.add(op);
}

/** TIMEOUT: completes with ETIME when the time passes, or 0 after `off` other completions. */
function timeout(ring: IoUring, sqe: Sqe, env: UringEnv): () => void {
  if (sqe.len !== 1) fail("EINVAL", "a timeout takes one timespec");
  if ((sqe.opFlags & ~IORING_TIMEOUT_ABS) !== 0) fail("EINVAL", "timeout flags");
  const b = env.memory.read(sqe.addr, TIMESPEC_SIZE);
  if (b === undefined) fail("EFAULT");
  const t = decodeTimespec(b);
  if (t.sec < 0 || t.nsec < 0 || t.nsec >= 1e9) fail("EINVAL", "timespec out of range");
  const ms = t.sec * 1000 + t.nsec / 1e6;
  return () => {
    // An absolute timeout is on CLOCK_MONOTONIC, which is performance.now() here.
    const deadline = (sqe.opFlags & IORING_TIMEOUT_ABS) !== 0 ? ms : performance.now() + ms;
    const target = Number(sqe.off);
    let seen = 0;
    const counter = (): void => {
      if (++seen >= target) end(0);
    };
    const timer = env.scheduler.timers.add(deadline, () => end(-ETIME));
    const op: PendingOp = { userData: sqe.userData, kind: "timeout", cancel: () => end(-ECANCELED) };
    const end = (res: number): void => {
      if (!ring.pending.delete(op)) return;
      env.scheduler.timers.cancel(timer);
      ring.onComplete.delete(counter);
      ring.post(sqe.userData, res, true, false);
    };
    ring.pending.add(op);
    if (target > 0) ring.onComplete.add(counter);
  };
}
