import { describe, expect, it } from "vitest";
import { Errno } from "./errno.js";
import { AT_FDCWD, OpenFlag } from "./linux-constants.js";
import { decodeStat, STAT_SIZE } from "./structs/stat.js";
import { BAD_ADDRESS, TestMachine } from "./test-machine.js";

const { O_CREAT, O_WRONLY, O_RDONLY, O_TRUNC } = { ...OpenFlag, O_WRONLY: 1, O_RDONLY: 0 };

describe("createSyscalls", () => {
  it("writes to the console through fds 1 and 2", () => {
    const m = new TestMachine();
    const buf = m.alloc(new TextEncoder().encode("hello\n"));
    expect(m.call("write", 1, buf, 6)).toBe(6);
    expect(m.call("write", 2, buf, 5)).toBe(5);
    expect(new TextDecoder().decode(Uint8Array.from(m.stdout))).toBe("hello\n");
    expect(new TextDecoder().decode(Uint8Array.from(m.stderr))).toBe("hello");
    expect(m.lastTrace).toBe('write(2, "hello", 5) = 5');
  });

  it("creates, writes, reads back and stats a file", () => {
    const m = new TestMachine();
    const path = m.str("/data.txt");
    const fd = m.call("openat", AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    expect(fd).toBe(3);
    const text = m.alloc(new TextEncoder().encode("x=42\n"));
    expect(m.call("write", fd, text, 5)).toBe(5);
    expect(m.call("close", fd)).toBe(0);
    const rfd = m.call("open", path, O_RDONLY);
    const out = m.alloc(64);
    expect(m.call("read", rfd, out, 64)).toBe(5);
    expect(m.text(out, 5)).toBe("x=42\n");
    expect(m.lastTrace).toBe('read(3, "x=42\\n", 64) = 5');
    const st = m.alloc(STAT_SIZE);
    expect(m.call("fstat", rfd, st)).toBe(0);
    expect(decodeStat(m.mem.read(st, STAT_SIZE)!).size).toBe(5);
  });

  it("returns EFAULT for a bad pointer and ENOENT for a missing file", () => {
    const m = new TestMachine();
    expect(m.call("open", BAD_ADDRESS, 0)).toBe(-Errno.EFAULT);
    expect(m.call("open", m.str("/nope"), 0)).toBe(-Errno.ENOENT);
    expect(m.lastTrace).toBe('open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)');
    expect(m.call("write", 1, BAD_ADDRESS, 4)).toBe(-Errno.EFAULT);
  });

  it("follows Nanos: unsupported is ENOSYS, ignored is 0", () => {
    const m = new TestMachine();
    expect(m.call("fork")).toBe(-Errno.ENOSYS);
    expect(m.lastTrace).toBe("fork() = -1 ENOSYS (Function not implemented)");
    expect(m.call("chmod", m.str("/x"), 0o777)).toBe(0);
    expect(m.sys(9999, [0, 0, 0, 0, 0, 0])).toBe(-Errno.ENOSYS);
    expect(m.internalErrors).toEqual([]);
  });
});
