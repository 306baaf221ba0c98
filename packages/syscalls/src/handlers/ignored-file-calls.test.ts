// The file calls Nanos accepts and ignores (syscall_ignore): they return 0 without looking at
// their arguments and change nothing, where Linux would check the path, the fd and permissions.
import { describe, expect, it } from "vitest";
import { Errno } from "../errno.js";
import { TestMachine } from "../test-machine.js";

const O_RDWR = 2;
const O_CREAT = 0o100;
const AT_FDCWD = -100;

describe("file calls Nanos ignores", () => {
  it("flock, chmod, fchmod, chown, fchown, lchown, fchownat, fchmodat return 0 and change nothing", () => {
    const m = new TestMachine();
    const fd = m.call("open", m.str("/f"), O_RDWR | O_CREAT, 0o644);
    expect(m.call("write", fd, m.str("data"), 4)).toBe(4);
    const before = m.vfs.stat("/", "/f", true);
    const path = m.str("/f");
    expect(m.call("flock", fd, 2 /* LOCK_EX */)).toBe(0);
    expect(m.call("flock", fd, 8 /* LOCK_UN */)).toBe(0);
    expect(m.call("chmod", path, 0o7777)).toBe(0);
    expect(m.call("fchmod", fd, 0)).toBe(0);
    expect(m.call("chown", path, 1000, 1000)).toBe(0);
    expect(m.call("fchown", fd, 1000, 1000)).toBe(0);
    expect(m.call("lchown", path, 1000, 1000)).toBe(0);
    expect(m.call("fchownat", AT_FDCWD, path, 1000, 1000, 0)).toBe(0);
    expect(m.call("fchmodat", AT_FDCWD, path, 0o600)).toBe(0);
    expect(m.vfs.stat("/", "/f", true)).toEqual(before);
    // Nothing is looked at: closed fds, missing paths and wild pointers are accepted too.
    expect(m.call("flock", 9999, 2)).toBe(0);
    expect(m.call("fchmod", -1, 0)).toBe(0);
    expect(m.call("chmod", m.str("/missing"), 0o777)).toBe(0);
    expect(m.call("lchown", 1, 0, 0)).toBe(0);
    expect(m.call("fchownat", 9999, 0xdead0000, 0, 0, 0x12345)).toBe(0);
    expect(m.fs.exists("/missing")).toBe(false);
    // The trace still names them.
    expect(m.lastTrace).toMatch(/^fchownat\(/);
  });

  it("faccessat2 is not a Nanos syscall (glibc falls back to faccessat)", () => {
    const m = new TestMachine();
    expect(m.call("faccessat2", AT_FDCWD, m.str("/"), 0, 0)).toBe(-Errno.ENOSYS);
    expect(m.call("faccessat", AT_FDCWD, m.str("/"), 0)).toBe(0);
  });
});
