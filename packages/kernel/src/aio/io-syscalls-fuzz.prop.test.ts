// Hostile arguments to the I/O syscalls of this folder and src/io: every call returns a number
// (a result or a negative errno), and the host never throws or hangs.
import { fileURLToPath } from "node:url";
import { MemoryBlockBackend } from "@nanots/virtio";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boot } from "../boot/boot.js";
import { buildImage } from "../node/build-image.js";
import { ThreadState } from "../threads/guest-thread.js";

const HELLO = fileURLToPath(new URL("../../../../guest/bin/musl/hello", import.meta.url));
/** pipe2, eventfd2, epoll_create1, epoll_ctl, epoll_wait(0), poll, select, timerfd_*, io_*, io_uring_*, mmap, close, read, write. */
const CALLS = [293, 290, 291, 233, 232, 7, 23, 283, 286, 287, 206, 207, 208, 209, 425, 426, 427, 9, 3, 0, 1];

describe("I/O syscalls under hostile arguments", () => {
  it("return numbers for random calls with random pointers, sizes and flags", () => {
    const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO })), memoryBytes: 64 << 20, stdout: () => {}, stderr: () => {} });
    const m = vm.machine;
    const buf = m.cpu.regNumber(4) - 0x10000; // scratch in the stack mapping
    const arg = fc.oneof(
      fc.integer({ min: -2, max: 12 }), // small numbers and fds
      fc.integer({ min: 0, max: 4000 }).map((o) => buf + o), // into the scratch buffer
      fc.constantFrom(0, 1, 0xfff, 2 ** 47, 2 ** 53 - 1, -1, 0x10000000, 0x8000000, 1 << 30, 0xffffffff),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...CALLS), fc.array(arg, { minLength: 6, maxLength: 6 }), fc.uint8Array({ minLength: 256, maxLength: 256 })), { minLength: 1, maxLength: 30 }), (calls) => {
        for (const [nr, args, bytes] of calls) {
          m.space.write(buf, bytes);
          // Blocking calls would wait for another thread: give them a zero timeout where there is one.
          if (nr === 232) args[3] = 0;
          if (nr === 7) args[2] = 0;
          // read, select, io_getevents and io_uring_enter may wait for another thread, which
          // this test has none of (io_uring_enter with junk queues is the next test).
          if (nr === 0 || nr === 426 || nr === 208 || nr === 23) continue;
          const result = m.syscalls(nr, args, m);
          expect(Number.isInteger(result)).toBe(true);
          m.scheduler.restartPending = false;
          m.scheduler.current.state = ThreadState.Runnable; // whatever a call did to the thread, it runs on
          m.scheduler.current.wait = undefined;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("io_uring_enter and io_getevents with junk queues return numbers", () => {
    const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO })), memoryBytes: 64 << 20, stdout: () => {}, stderr: () => {} });
    const m = vm.machine;
    const buf = m.cpu.regNumber(4) - 0x10000;
    const call = (nr: number, ...args: number[]): number => m.syscalls(nr, [...args, 0, 0, 0, 0, 0, 0].slice(0, 6), m);
    m.space.write(buf, new Uint8Array(120));
    const ring = call(425, 8, buf); // io_uring_setup
    expect(ring).toBeGreaterThanOrEqual(0);
    const params = new DataView(m.space.read(buf, 120)!.buffer);
    const sq = call(9, 0, 4096, 3, 1, ring, 0); // mmap the SQ ring
    const sqes = call(9, 0, 4096, 3, 1, ring, 0x10000000);
    expect(sq).toBeGreaterThan(0);
    expect(sqes).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 512, maxLength: 512 }), fc.array(fc.nat(40), { maxLength: 8 }), (entries, indices) => {
        m.space.write(sqes, entries); // 8 random SQEs
        const array = sq + params.getUint32(40 + 24, true);
        indices.forEach((index, k) => {
          const b = new Uint8Array(4);
          new DataView(b.buffer).setUint32(0, index, true);
          m.space.write(array + 4 * k, b);
        });
        const tail = sq + params.getUint32(40 + 4, true);
        const t = new DataView(m.space.read(tail, 4)!.buffer).getUint32(0, true);
        const b = new Uint8Array(4);
        new DataView(b.buffer).setUint32(0, t + indices.length, true);
        m.space.write(tail, b);
        expect(Number.isInteger(call(426, ring, indices.length, 0, 0))).toBe(true);
        const cqHead = sq + params.getUint32(80, true);
        m.space.write(cqHead, m.space.read(sq + params.getUint32(80 + 4, true), 4)!); // reap all
      }),
      { numRuns: 200 },
    );
  });
});
