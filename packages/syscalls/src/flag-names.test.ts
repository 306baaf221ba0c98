import { describe, expect, it } from "vitest";
import {
  formatAccessMode, formatCloneFlags, formatFlags, formatFutexOp, formatMmapFlags, formatMode, formatOpenFlags, formatProt, hex, signalName,
} from "./flag-names.js";

describe("flag names", () => {
  it("decodes clone flags as strace shows pthread_create's", () => {
    expect(formatCloneFlags(0x3d0f00)).toBe(
      "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID",
    );
    expect(formatCloneFlags(0x01200011)).toBe("CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
    expect(formatCloneFlags(0)).toBe("0");
  });

  it("decodes futex ops with their modifiers", () => {
    expect(formatFutexOp(128)).toBe("FUTEX_WAIT_PRIVATE");
    expect(formatFutexOp(129)).toBe("FUTEX_WAKE_PRIVATE");
    expect(formatFutexOp(9 | 128 | 256)).toBe("FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
    expect(formatFutexOp(99)).toBe("0x63");
  });

  it("decodes signals, modes, prot, mmap and access bits", () => {
    expect(signalName(11)).toBe("SIGSEGV");
    expect(signalName(32)).toBe("SIGRTMIN");
    expect(signalName(34)).toBe("SIGRT_2");
    expect(signalName(99)).toBe("99");
    expect(formatMode(0o644)).toBe("0644");
    expect(formatMode(0)).toBe("000");
    expect(formatProt(7)).toBe("PROT_READ|PROT_WRITE|PROT_EXEC");
    expect(formatMmapFlags(0x22 | 0x20000)).toBe("MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK");
    expect(formatMmapFlags(0x100001)).toBe("MAP_SHARED|MAP_FIXED_NOREPLACE");
    expect(formatAccessMode(0)).toBe("F_OK");
    expect(formatAccessMode(6)).toBe("R_OK|W_OK");
  });

  it("keeps unknown bits in hex, whatever the value", () => {
    expect(formatFlags(0x80000000 + 2 ** 40, { A: 1 })).toBe("0x10080000000");
    expect(formatOpenFlags(0o3)).toBe("0x3");
    expect(formatOpenFlags(0o1 | 0o40000000)).toBe("O_WRONLY|0x800000");
    expect(hex(-100)).toBe("0xffffffffffffff9c");
    expect(() => formatOpenFlags(-1)).not.toThrow();
  });
});
