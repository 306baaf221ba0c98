import { describe, expect, it } from "vitest";
import { Errno, errnoMessage, errnoName, isErrorResult } from "./errno.js";

describe("errno", () => {
  it("has Linux's numbers and glibc's messages", () => {
    expect(Errno.EPERM).toBe(1);
    expect(Errno.ENOENT).toBe(2);
    expect(Errno.EFAULT).toBe(14);
    expect(Errno.ENOSYS).toBe(38);
    expect(Errno.ELOOP).toBe(40);
    expect(Errno.EOPNOTSUPP).toBe(95);
    expect(Errno.EHWPOISON).toBe(133);
    expect(errnoMessage(2)).toBe("No such file or directory");
    expect(errnoMessage(-25)).toBe("Inappropriate ioctl for device");
    expect(errnoMessage(38)).toBe("Function not implemented");
  });

  it("names numbers as strace does, aliases folded", () => {
    expect(errnoName(-11)).toBe("EAGAIN");
    expect(errnoName(35)).toBe("EDEADLK");
    expect(errnoName(95)).toBe("EOPNOTSUPP");
    expect(errnoName(41)).toBeUndefined();
    expect(errnoMessage(41)).toBe("Unknown error 41");
  });

  it("is a one-to-one table", () => {
    const numbers = Object.values(Errno);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const [name, n] of Object.entries(Errno)) expect(errnoName(n)).toBe(name);
  });

  it("tells error results from values", () => {
    expect(isErrorResult(-1)).toBe(true);
    expect(isErrorResult(-4095)).toBe(true);
    expect(isErrorResult(-4096)).toBe(false);
    expect(isErrorResult(0)).toBe(false);
  });
});
