// Linux native AIO: io_setup, io_submit, io_getevents, io_destroy. Every operation runs when
// submitted (file I/O here is synchronous), or, on a pipe or other pollable description that
// is not ready, when it becomes ready; its completion goes to the context's ring, and with
// IOCB_FLAG_RESFD an eventfd is signalled.
import { decodeIovecs, decodeTimespec, fail, FdTable, IOVEC_SIZE, readU64, RegularFileDescription, TIMESPEC_SIZE, type Iovec, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import { EventFd } from "../io/eventfd.js";
import type { Scheduler } from "../threads/scheduler.js";
import { AIO_RING_HEADER, AioRing, IO_EVENT_SIZE } from "./aio-ring.js";
import { MAX_RW_COUNT, readIntoBuffers, runWhenReady, writeFromBuffers } from "./file-io.js";

/** iocb opcodes. */
export const IocbCmd = { PREAD: 0, PWRITE: 1, FSYNC: 2, FDSYNC: 3, POLL: 5, NOOP: 6, PREADV: 7, PWRITEV: 8 } as const;
const IOCB_FLAG_RESFD = 1;
const IOCB_SIZE = 64;
/** Linux doubles the events asked for and refuses more than 0x10000000 / sizeof(struct io_event). */
const MAX_NR_EVENTS = 0x10000000 / IO_EVENT_SIZE / 2;
/** fs.aio-max-nr's default: more (doubled) events than this are EAGAIN. */
const AIO_MAX_NR = 65536;
const UIO_MAXIOV = 1024;
const PAGE = 4096;

/** The memory manager calls AIO needs to map and unmap rings. */
export interface RingMapper {
  mmap(addr: number, length: number, prot: number, flags: number, file: undefined, offset: number): number;
  munmap(addr: number, length: number): number;
}

/** What the AIO syscalls act on. */
export interface AioContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
  /** The process's memory manager (read when a ring is made). */
  mm: () => RingMapper;
}

/** struct iocb. */
interface Iocb {
  data: bigint;
  rwFlags: number;
  opcode: number;
  fd: number;
  buf: number;
  nbytes: number;
  offset: number;
  reserved2: bigint;
  flags: number;
  resfd: number;
}

function decodeIocb(b: Uint8Array): Iocb {
  const v = new DataView(b.buffer, b.byteOffset, IOCB_SIZE);
  return {
    data: v.getBigUint64(0, true),
    rwFlags: v.getInt32(12, true),
    opcode: v.getUint16(16, true),
    fd: v.getInt32(20, true),
    buf: Number(v.getBigUint64(24, true)),
    nbytes: Number(v.getBigInt64(32, true)),
    offset: Number(v.getBigInt64(40, true)),
    reserved2: v.getBigUint64(48, true),
    flags: v.getUint32(56, true),
    resfd: v.getInt32(60, true),
  };
}

/** Linux AIO (io_setup, io_submit, io_getevents, io_destroy) as overrides for `createSyscalls`. */
export function aioSyscalls(ctx: AioContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  const rings = new Map<number, AioRing>();
  const ringOf = (id: number): AioRing => {
    const ring = rings.get(id);
    if (ring === undefined) fail("EINVAL", "not an AIO context");
    return ring;
  };

  /** Checks one iocb, in Linux's order, and starts its operation; throws what io_submit reports. */
  const submitOne = (ring: AioRing, address: number): void => {
    const bytes = memory.read(address, IOCB_SIZE);
    if (bytes === undefined) fail("EFAULT");
    const iocb = decodeIocb(bytes);
    if (iocb.reserved2 !== 0n) fail("EINVAL", "aio_reserved2 must be 0");
    if (iocb.nbytes < 0) fail("EINVAL", "aio_nbytes");
    if (ring.full) fail("EAGAIN", "the completion ring is full");
    const desc = fds.get(iocb.fd);
    let notify: EventFd | undefined;
    if ((iocb.flags & IOCB_FLAG_RESFD) !== 0) {
      const target = fds.get(iocb.resfd);
      if (!(target instanceof EventFd)) fail("EINVAL", "aio_resfd is not an eventfd");
      notify = target;
    }
    // The kernel stamps aio_key (0), as Linux does.
    if (!memory.write(address + 8, new Uint8Array(4))) fail("EFAULT");
    const rw = (reading: boolean, buffers: () => Iovec[]): (() => number) => {
      if (reading ? !desc.readable : !desc.writable) fail("EBADF", reading ? "not open for reading" : "not open for writing");
      if (iocb.rwFlags !== 0) fail("EOPNOTSUPP", "aio_rw_flags");
      const list = buffers();
      if (iocb.offset < 0) fail("EINVAL", "negative offset");
      return reading ? () => readIntoBuffers(memory, desc, list, iocb.offset) : () => writeFromBuffers(memory, desc, list, iocb.offset);
    };
    const single = (): Iovec[] => [{ base: iocb.buf, len: Math.min(iocb.nbytes, MAX_RW_COUNT) }];
    const vector = (): Iovec[] => {
      if (iocb.nbytes > UIO_MAXIOV) fail("EINVAL", "too many iovecs");
      const b = memory.read(iocb.buf, iocb.nbytes * IOVEC_SIZE);
      if (b === undefined) fail("EFAULT");
      return decodeIovecs(b);
    };
    let op: () => number;
    switch (iocb.opcode) {
      case IocbCmd.PREAD:
        op = rw(true, single);
        break;
      case IocbCmd.PREADV:
        op = rw(true, vector);
        break;
      case IocbCmd.PWRITE:
        op = rw(false, single);
        break;
      case IocbCmd.PWRITEV:
        op = rw(false, vector);
        break;
      case IocbCmd.FSYNC:
      case IocbCmd.FDSYNC:
        if (iocb.buf !== 0 || iocb.offset !== 0 || iocb.nbytes !== 0 || iocb.rwFlags !== 0) fail("EINVAL", "fsync takes no buffer");
        if (!(desc instanceof RegularFileDescription) && !desc.isDirectory) fail("EINVAL", "this kind of file cannot be synced");
        op = () => {
          desc.sync();
          return 0;
        };
        break;
      default:
        fail("EINVAL", `opcode ${iocb.opcode}`);
    }
    runWhenReady(desc, op, (res) => {
      ring.complete({ data: iocb.data, obj: address, res });
      if (notify !== undefined && fds.references(notify) > 0) notify.signal(1n);
    });
  };

  return {
    io_setup: ([nrEvents, ctxp]) => {
      const current = readU64(memory, ctxp!);
      if (current === undefined) fail("EFAULT");
      const nr = nrEvents! >>> 0;
      if (current !== 0 || nr === 0 || nr > MAX_NR_EVENTS) fail("EINVAL");
      if (nr * 2 > AIO_MAX_NR) fail("EAGAIN", "more events than fs.aio-max-nr allows");
      // One slot stays free to tell a full ring from an empty one.
      const size = Math.ceil((AIO_RING_HEADER + (nr + 1) * IO_EVENT_SIZE) / PAGE) * PAGE;
      const address = ctx.mm().mmap(0, size, 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, undefined, 0);
      if (address < 0) fail("EAGAIN", "no room for the completion ring");
      const ring = new AioRing(address, (size - AIO_RING_HEADER) / IO_EVENT_SIZE, size, memory);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, BigInt(address), true);
      if (!memory.write(ctxp!, out)) {
        ctx.mm().munmap(address, size);
        fail("EFAULT");
      }
      rings.set(address, ring);
      return 0;
    },
    io_destroy: ([id]) => {
      const ring = ringOf(id!);
      rings.delete(id!);
      ctx.mm().munmap(ring.address, ring.size);
      return 0;
    },
    io_submit: ([id, nrArg, iocbpp]) => {
      const nr = nrArg!;
      if (nr < 0) fail("EINVAL", "negative count");
      const ring = ringOf(id!);
      let submitted = 0;
      for (; submitted < nr; submitted++) {
        try {
          const address = readU64(memory, iocbpp! + submitted * 8);
          if (address === undefined) fail("EFAULT");
          submitOne(ring, address);
        } catch (e) {
          if (submitted === 0) throw e; // the first failure is the call's; later ones end the batch
          break;
        }
      }
      return submitted;
    },
    io_getevents: ([id, minNr, nrArg, events, timeout]) => {
      const ring = ringOf(id!);
      const min = minNr!;
      const nr = nrArg!;
      if (min < 0 || nr < 0 || min > nr) fail("EINVAL");
      let ms = -1;
      if (timeout !== 0) {
        // Linux takes the timespec as it is, unchecked; a negative one has expired already.
        const b = memory.read(timeout!, TIMESPEC_SIZE);
        if (b === undefined) fail("EFAULT");
        const t = decodeTimespec(b);
        ms = Math.max(0, t.sec * 1000 + t.nsec / 1e6);
      }
      /** Copies up to nr completions out: their count, or -EFAULT. */
      const reap = (): number => {
        const out = ring.take(nr);
        if (out.length > 0 && !memory.write(events!, out)) return -14; // EFAULT
        ring.consume(out.length / IO_EVENT_SIZE);
        return out.length / IO_EVENT_SIZE;
      };
      if (ring.pending >= min || ms === 0) {
        const n = reap();
        if (n < 0) fail("EFAULT");
        return n;
      }
      // Wait, after the call, for min_nr completions or the timeout; then take what is there.
      const thread = scheduler.current;
      let timedOut = false;
      const timer = ms < 0 ? undefined : scheduler.timers.add(performance.now() + ms, () => {
        timedOut = true;
        ring.readiness.notify();
      });
      scheduler.blockAfter(ring.readiness, () => {
        if (!timedOut && ring.pending < min) return false;
        if (timer !== undefined) scheduler.timers.cancel(timer);
        thread.setResult(reap());
        return true;
      });
      return 0;
    },
  };
}
