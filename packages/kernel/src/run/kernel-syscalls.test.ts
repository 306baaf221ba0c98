// What a booted machine answers to identity, limit and memory calls: Nanos's values (these
// differ from Linux, so the guest tests only check their structure) and the kernel's memory
// hooks, called the way the CPU calls the syscall layer.
import { decodeRlimit, decodeUtsname, Errno, syscallByName } from "@nanots/syscalls";
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { boot } from "../boot/boot.js";
import { GUEST_DIR } from "../elf/guest-binaries.js";
import { buildImage } from "../node/build-image.js";

const MEMORY = 64 << 20;
const PAGE = 4096;

function booted() {
  const vm = boot({
    disk: new MemoryBlockBackend(buildImage({ program: `${GUEST_DIR}bin/musl/hello`, guestPath: "/hello" })),
    memoryBytes: MEMORY,
    stdout: () => {},
    stderr: () => {},
  });
  const call = (name: string, ...args: number[]): number => vm.machine.syscalls(syscallByName(name)!.nr, [...args, 0, 0, 0, 0, 0, 0].slice(0, 6), vm.machine);
  const scratch = call("mmap", 0, PAGE, 3, 0x22, -1, 0); // PROT_READ|WRITE, MAP_PRIVATE|ANONYMOUS
  return { vm, call, scratch, read: (addr: number, len: number) => vm.machine.space.read(addr, len)! };
}

describe("a booted machine's identity", () => {
  it("is Nanos's: uname, pid 1, the main thread's tid 1", () => {
    const { call, scratch, read } = booted();
    expect(call("uname", scratch)).toBe(0);
    const u = decodeUtsname(read(scratch, 390));
    expect(u.sysname).toBe("Nanos");
    expect(u.machine).toBe("x86_64");
    expect(u.release).toMatch(/^5\.0-.*_aaa$/); // the "5.0-" prefix placates glibc's loader
    expect(call("getpid")).toBe(1);
    expect(call("gettid")).toBe(1);
  });

  it("reports Nanos's limits and the machine's memory", () => {
    const { vm, call, scratch, read } = booted();
    expect(call("getrlimit", 7, scratch)).toBe(0); // RLIMIT_NOFILE
    expect(decodeRlimit(read(scratch, 16))).toEqual({ cur: 65536, max: 65536 });
    expect(call("sysinfo", scratch)).toBe(0);
    const si = new DataView(read(scratch, 112).buffer);
    const [totalram, freeram] = [Number(si.getBigUint64(32, true)), Number(si.getBigUint64(40, true))];
    expect(totalram).toBe(MEMORY);
    expect(freeram).toBeGreaterThan(0);
    expect(freeram).toBeLessThan(MEMORY); // page tables, the program and the page cache are in use
    // Touching memory makes it resident: freeram falls and ru_maxrss rises.
    const rss = (): number => (call("getrusage", 0, scratch), Number(new DataView(read(scratch, 144).buffer).getBigInt64(32, true)));
    const free = (): number => (call("sysinfo", scratch), Number(new DataView(read(scratch, 112).buffer).getBigUint64(40, true)));
    const big = call("mmap", 0, 64 * PAGE, 3, 0x22, -1, 0);
    expect(call("mincore", big, 64 * PAGE, scratch)).toBe(0);
    expect([...read(scratch, 64)].every((b) => b === 0)).toBe(true);
    const [rss0, free0] = [rss(), free()];
    expect(vm.machine.space.write(big, new Uint8Array(64 * PAGE).fill(1))).toBe(true);
    expect(call("mincore", big, 64 * PAGE, scratch)).toBe(0);
    expect([...read(scratch, 64)].every((b) => b === 1)).toBe(true);
    expect(rss() - rss0).toBeGreaterThanOrEqual(64 * 4);
    expect(free0 - free()).toBeGreaterThanOrEqual(64 * PAGE);
  });

  it("counts CPU time while the machine works, not while it waits", async () => {
    const { call, scratch, read } = booted();
    const clock = (id: number): number => {
      expect(call("clock_gettime", id, scratch)).toBe(0);
      const v = new DataView(read(scratch, 16).buffer);
      return Number(v.getBigInt64(0, true)) * 1e3 + Number(v.getBigInt64(8, true)) / 1e6; // ms
    };
    const [cpu0, mono0] = [clock(2), clock(1)]; // CLOCK_PROCESS_CPUTIME_ID, CLOCK_MONOTONIC
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [cpu1, mono1] = [clock(2), clock(1)];
    expect(mono1 - mono0).toBeGreaterThanOrEqual(199);
    expect(cpu1 - cpu0).toBeLessThan((mono1 - mono0) / 2); // the host was mostly idle
    const until = performance.now() + 30;
    while (performance.now() < until); // busy, as a running guest keeps the host
    expect(clock(2) - cpu1).toBeGreaterThanOrEqual(25);
    const thread = clock(3); // CLOCK_THREAD_CPUTIME_ID: the process's (the vCPU's time is not split)
    expect(clock(2) - thread).toBeGreaterThanOrEqual(0);
    expect(clock(2) - thread).toBeLessThan(5);
  });

  it("answers the accepted-and-ignored calls with 0 and the unsupported ones with ENOSYS", () => {
    const { call } = booted();
    for (const name of ["wait4", "flock", "chmod", "fchown", "getgid", "mlock", "mlockall", "fchmodat", "mlock2"]) expect(call(name, 1, 2, 3), name).toBe(0);
    for (const name of ["fork", "vfork", "execve", "ptrace", "shmget", "getppid", "mount", "memfd_create", "bpf"]) expect(call(name), name).toBe(-Errno.ENOSYS);
  });
});
