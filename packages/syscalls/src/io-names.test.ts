import { describe, expect, it } from "vitest";
import { formatSyscall } from "./strace.js";
import { syscallByName } from "./syscall-table.js";
import { ArrayUserMemory } from "./user-memory.js";

const nr = (name: string) => syscallByName(name)!.nr;

describe("strace: fd-based I/O", () => {
  it("decodes epoll_ctl's operation and event, and the eventfd, timerfd and epoll flags", () => {
    const mem = new ArrayUserMemory(0x1000, 0x1000);
    const event = new Uint8Array(12);
    new DataView(event.buffer).setUint32(0, (0x1 | 0x2000 | 2 ** 31) >>> 0, true);
    new DataView(event.buffer).setBigUint64(4, 42n, true);
    mem.write(0x1000, event);
    expect(formatSyscall(nr("epoll_ctl"), [5, 1, 3, 0x1000], 0, mem)).toBe("epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLRDHUP|EPOLLET, data=0x2a}) = 0");
    expect(formatSyscall(nr("epoll_ctl"), [5, 2, 3, 0], 0, mem)).toBe("epoll_ctl(5, EPOLL_CTL_DEL, 3, NULL) = 0");
    expect(formatSyscall(nr("epoll_ctl"), [5, 9, 3, 1], -14, mem)).toBe("epoll_ctl(5, 9, 3, 0x1) = -1 EFAULT (Bad address)");
    expect(formatSyscall(nr("epoll_create1"), [0o2000000], 4, mem)).toBe("epoll_create1(EPOLL_CLOEXEC) = 4");
    expect(formatSyscall(nr("eventfd2"), [0, 0o2004001], 6, mem)).toBe("eventfd2(0, EFD_SEMAPHORE|EFD_NONBLOCK|EFD_CLOEXEC) = 6");
    expect(formatSyscall(nr("timerfd_create"), [1, 0o4000], 7, mem)).toBe("timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK) = 7");
    const spec = new Uint8Array(32);
    new DataView(spec.buffer).setBigInt64(24, 5000n, true);
    mem.write(0x1100, spec);
    expect(formatSyscall(nr("timerfd_settime"), [7, 1, 0x1100, 0], 0, mem)).toBe(
      "timerfd_settime(7, TFD_TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=5000}}, NULL) = 0",
    );
  });
});
