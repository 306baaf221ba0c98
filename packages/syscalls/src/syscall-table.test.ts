import { describe, expect, it } from "vitest";
import { NANOS_IGNORED, NANOS_SUPPORTED } from "./nanos-status.js";
import { syscallByName, syscallInfo, syscallName, SYSCALLS } from "./syscall-table.js";

describe("syscall table", () => {
  it("numbers syscalls as <asm/unistd_64.h>", () => {
    const facts: Array<[string, number]> = [
      ["read", 0], ["write", 1], ["open", 2], ["mmap", 9], ["ioctl", 16], ["clone", 56], ["exit", 60], ["uname", 63],
      ["getdents64", 217], ["exit_group", 231], ["openat", 257], ["newfstatat", 262], ["prlimit64", 302],
      ["getrandom", 318], ["statx", 332], ["rseq", 334], ["io_uring_setup", 425], ["clone3", 435], ["mseal", 462],
    ];
    for (const [name, nr] of facts) {
      expect(syscallByName(name)?.nr).toBe(nr);
      expect(syscallName(nr)).toBe(name);
    }
  });

  it("has no numbers in Linux's gap and none past the end", () => {
    for (let nr = 335; nr < 424; nr++) expect(syscallInfo(nr)).toBeUndefined();
    expect(syscallInfo(463)).toBeUndefined();
    expect(syscallInfo(-1)).toBeUndefined();
    expect(syscallInfo(1.5)).toBeUndefined();
    expect(SYSCALLS.length).toBe(335 + 39);
    expect(syscallName(0x1a8)).toBe("pidfd_send_signal");
    expect(syscallName(0x1a4)).toBe("syscall_0x1a4");
    expect(syscallName(1000)).toBe("syscall_0x3e8");
  });

  it("gives every syscall at most six typed arguments", () => {
    for (const s of SYSCALLS) expect(s.args.length).toBeLessThanOrEqual(6);
    expect(syscallByName("openat")!.args).toEqual(["dirfd", "path", "oflags", "mode"]);
    expect(syscallByName("read")!.args).toEqual(["fd", "obuf", "size"]);
    expect(syscallByName("sched_yield")!.args).toEqual([]);
  });

  it("knows what Nanos does with each", () => {
    // Every name in the Nanos lists is a real syscall (a typo would silently leave it ENOSYS).
    for (const name of [...NANOS_SUPPORTED, ...NANOS_IGNORED]) expect(syscallByName(name), name).toBeDefined();
    expect(NANOS_SUPPORTED.size).toBe(148 + 29);
    expect(syscallByName("openat")!.nanos).toBe("supported");
    expect(syscallByName("statx")!.nanos).toBe("supported");
    expect(syscallByName("wait4")!.nanos).toBe("ignored");
    expect(syscallByName("setuid")!.nanos).toBe("ignored"); // current Nanos ignores it
    expect(syscallByName("fork")!.nanos).toBe("unsupported");
    expect(syscallByName("rseq")!.nanos).toBe("unsupported"); // in no list
    expect(SYSCALLS.filter((s) => s.nanos === "ignored").length).toBe(25);
  });
});
