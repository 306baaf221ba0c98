// io_uring_setup, io_uring_enter and io_uring_register, with the checks Linux and Nanos make.
import { decodeIovecs, fail, FdTable, IOVEC_SIZE, readI32, type FileDescription, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import { EventFd } from "../io/eventfd.js";
import type { FrameAllocator } from "../mm/frames.js";
import type { Scheduler } from "../threads/scheduler.js";
import { IORING_FEAT_RW_CUR_POS, IORING_FEAT_SINGLE_MMAP, IoUring, RingField } from "./io-uring.js";
import { IoringOp, submitSqe } from "./uring-ops.js";

const IORING_SETUP_CQSIZE = 1 << 3;
const IORING_ENTER_GETEVENTS = 1;
const IORING_MAX_ENTRIES = 32768;
const IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;
const IORING_MAX_REG_BUFFERS = 1 << 14;
const IORING_MAX_FIXED_FILES = 1 << 15;
const PARAMS_SIZE = 120;
const PROBE_HEADER = 16;
const PROBE_OP_SIZE = 8;
/** io_uring_register opcodes. */
const Register = { BUFFERS: 0, UNREGISTER_BUFFERS: 1, FILES: 2, UNREGISTER_FILES: 3, EVENTFD: 4, UNREGISTER_EVENTFD: 5, EVENTFD_ASYNC: 7, PROBE: 8 } as const;

/** What the io_uring syscalls act on. */
export interface UringContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
  /** Guest RAM and its frame allocator: the rings live in kernel-owned frames. */
  ram: Uint8Array;
  frames: FrameAllocator;
}

function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** io_uring_setup, io_uring_enter and io_uring_register as overrides for `createSyscalls`. */
export function ioUringSyscalls(ctx: UringContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  const ringOf = (fd: number): IoUring => {
    const d = fds.get(fd);
    if (!(d instanceof IoUring)) fail("EOPNOTSUPP", "not an io_uring fd");
    return d;
  };

  const setup: SyscallHandler = ([entriesArg, paramsAddr]) => {
    const bytes = memory.read(paramsAddr!, PARAMS_SIZE);
    if (bytes === undefined) fail("EFAULT");
    const p = new DataView(bytes.buffer, bytes.byteOffset, PARAMS_SIZE);
    const entries = entriesArg! >>> 0;
    const flags = p.getUint32(8, true);
    if (entries === 0 || entries > IORING_MAX_ENTRIES) fail("EINVAL", "entries");
    if ((flags & ~IORING_SETUP_CQSIZE) !== 0) fail("EINVAL", "only IORING_SETUP_CQSIZE is supported");
    for (let at = 24; at < 40; at += 4) if (p.getUint32(at, true) !== 0) fail("EINVAL", "reserved fields must be 0");
    const sqEntries = powerOfTwoAtLeast(entries);
    let cqEntries = 2 * sqEntries;
    if ((flags & IORING_SETUP_CQSIZE) !== 0) {
      const asked = p.getUint32(4, true);
      if (asked === 0 || asked > IORING_MAX_CQ_ENTRIES) fail("EINVAL", "cq_entries");
      cqEntries = powerOfTwoAtLeast(asked);
      if (cqEntries < sqEntries) fail("EINVAL", "fewer CQ than SQ entries");
    }
    let ring: IoUring;
    try {
      ring = new IoUring(sqEntries, cqEntries, ctx.ram, ctx.frames);
    } catch (e) {
      if (e instanceof RangeError) fail("ENOMEM");
      throw e;
    }
    p.setUint32(0, sqEntries, true);
    p.setUint32(4, cqEntries, true);
    p.setUint32(20, IORING_FEAT_SINGLE_MMAP | IORING_FEAT_RW_CUR_POS, true);
    // sq_off: head, tail, ring_mask, ring_entries, flags, dropped, array, resv1, user_addr.
    [RingField.sqHead, RingField.sqTail, RingField.sqMask, RingField.sqEntries, RingField.sqFlags, RingField.sqDropped, ring.sqArray, 0].forEach((v, k) => p.setUint32(40 + 4 * k, v, true));
    p.setBigUint64(72, 0n, true);
    // cq_off: head, tail, ring_mask, ring_entries, overflow, cqes, flags (none), resv1, user_addr.
    [RingField.cqHead, RingField.cqTail, RingField.cqMask, RingField.cqEntries, RingField.cqOverflow, ring.cqes, 0, 0].forEach((v, k) => p.setUint32(80 + 4 * k, v, true));
    p.setBigUint64(112, 0n, true);
    if (!memory.write(paramsAddr!, bytes)) {
      ring.close(); // gives its frames back
      fail("EFAULT");
    }
    // Linux opens io_uring fds close-on-exec.
    return fds.install(ring, true);
  };

  const enter: SyscallHandler = ([fd, toSubmit, minComplete, flags, sig, sigsz]) => {
    const ring = ringOf(fd! | 0);
    if (((flags! | 0) & ~IORING_ENTER_GETEVENTS) !== 0) fail("EINVAL", "flags");
    if (sig !== 0 && sigsz !== 8) fail("EINVAL", "sigsetsize must be 8");
    const count = toSubmit! >>> 0;
    let submitted = 0;
    let failedLink = false;
    while (submitted < count) {
      const sqe = ring.nextSqe();
      if (sqe === undefined) break;
      submitted++;
      const { ok, breaksChain } = submitSqe(ring, sqe, ctx, failedLink);
      if (!ok) break; // an entry that fails its checks ends the batch (it counts)
      failedLink = breaksChain;
    }
    // As Linux: no waiting when fewer entries were submitted than asked.
    if (submitted === count && ((flags! | 0) & IORING_ENTER_GETEVENTS) !== 0) {
      const wanted = Math.min(minComplete! >>> 0, ring.cqEntries);
      // The call returns what it submitted, once enough completions are there.
      if (ring.cqReady < wanted) scheduler.blockAfter(ring.readiness, () => ring.cqReady >= wanted);
    }
    return submitted;
  };

  const register: SyscallHandler = ([fd, opcode, arg, nrArgs]) => {
    const ring = ringOf(fd! | 0);
    const nr = nrArgs! >>> 0;
    /** The UNREGISTER_ calls: no argument, ENXIO when nothing is registered. */
    const unregister = (registered: boolean, clear: () => void): number => {
      if (arg !== 0 || nr !== 0) fail("EINVAL", "takes no argument");
      if (!registered) fail("ENXIO", "nothing registered");
      clear();
      return 0;
    };
    switch (opcode) {
      case Register.BUFFERS: {
        if (ring.buffers !== undefined) fail("EBUSY", "buffers already registered");
        if (nr === 0 || nr > IORING_MAX_REG_BUFFERS) fail("EINVAL", "buffer count");
        const b = memory.read(arg!, nr * IOVEC_SIZE);
        if (b === undefined) fail("EFAULT");
        const buffers = decodeIovecs(b);
        for (const { base, len } of buffers) {
          if (base === 0 && len === 0) continue; // an empty slot
          if (base === 0 || len > 1 << 30) fail("EFAULT", "buffer");
          if (len > 0 && (memory.read(base, 1) === undefined || memory.read(base + len - 1, 1) === undefined)) fail("EFAULT", "unmapped buffer");
        }
        ring.buffers = buffers;
        return 0;
      }
      case Register.UNREGISTER_BUFFERS:
        return unregister(ring.buffers !== undefined, () => (ring.buffers = undefined));
      case Register.FILES: {
        if (ring.files !== undefined) fail("EBUSY", "files already registered");
        if (nr === 0) fail("EINVAL", "no files");
        if (nr > IORING_MAX_FIXED_FILES) fail("EMFILE");
        const files: Array<FileDescription | undefined> = [];
        for (let k = 0; k < nr; k++) {
          const n = readI32(memory, arg! + 4 * k);
          if (n === undefined) fail("EFAULT");
          if (n === -1) files.push(undefined);
          else {
            const d = fds.get(n);
            if (d instanceof IoUring) fail("EBADF", "an io_uring cannot be registered");
            files.push(d);
          }
        }
        ring.files = files;
        return 0;
      }
      case Register.UNREGISTER_FILES:
        return unregister(ring.files !== undefined, () => (ring.files = undefined));
      case Register.EVENTFD:
      case Register.EVENTFD_ASYNC: {
        if (nr !== 1) fail("EINVAL", "nr_args must be 1");
        const n = readI32(memory, arg!);
        if (n === undefined) fail("EFAULT");
        if (ring.eventfd !== undefined) fail("EBUSY");
        const d = fds.get(n);
        if (!(d instanceof EventFd)) fail("EINVAL", "not an eventfd");
        ring.eventfd = d;
        ring.eventfdAsyncOnly = opcode === Register.EVENTFD_ASYNC;
        return 0;
      }
      case Register.UNREGISTER_EVENTFD:
        return unregister(ring.eventfd !== undefined, () => (ring.eventfd = undefined));
      case Register.PROBE: {
        const count = Math.min(nr, 256);
        const size = PROBE_HEADER + count * PROBE_OP_SIZE;
        const b = memory.read(arg!, size);
        if (b === undefined) fail("EFAULT");
        if (b.some((x) => x !== 0)) fail("EINVAL", "the probe must be zeroed");
        const ops = Object.values(IoringOp);
        b[0] = Math.max(...ops); // last_op
        b[1] = count; // ops_len
        for (let op = 0; op < count; op++) {
          b[PROBE_HEADER + op * PROBE_OP_SIZE] = op;
          if (ops.includes(op as never)) b[PROBE_HEADER + op * PROBE_OP_SIZE + 2] = 1; // IO_URING_OP_SUPPORTED
        }
        if (!memory.write(arg!, b)) fail("EFAULT");
        return 0;
      }
      default:
        fail("EINVAL", `opcode ${opcode}`);
    }
  };

  return { io_uring_setup: setup, io_uring_enter: enter, io_uring_register: register };
}
