import { describe, expect, it } from "vitest";
import { FdTable } from "./fd-table.js";
import { errnoCode as errno } from "./test-machine.js";
import { FileDescription } from "./vfs/file-description.js";
import type { StatData } from "./structs/stat.js";

class Probe extends FileDescription {
  closed = 0;
  constructor() {
    super(2, "/probe");
  }
  override stat(): StatData {
    throw new Error("unused");
  }
  protected override release(): void {
    this.closed++;
  }
}


describe("FdTable", () => {
  it("hands out the lowest free fd", () => {
    const t = new FdTable();
    const [a, b, c] = [new Probe(), new Probe(), new Probe()];
    expect([t.install(a, false), t.install(b, false), t.install(c, false)]).toEqual([0, 1, 2]);
    t.close(1);
    expect(t.install(new Probe(), false)).toBe(1);
    expect(t.install(new Probe(), false, 10)).toBe(10);
    expect(t.install(new Probe(), false, 10)).toBe(11);
    expect(t.fds()).toEqual([0, 1, 2, 10, 11]);
  });

  it("shares the description (and its offset) between dups; cloexec is per fd", () => {
    const t = new FdTable();
    const p = new Probe();
    const fd = t.install(p, true);
    const copy = t.dup(fd);
    expect(t.get(copy)).toBe(p);
    p.offset = 42;
    expect(t.get(copy).offset).toBe(42);
    expect(t.getCloexec(fd)).toBe(true);
    expect(t.getCloexec(copy)).toBe(false);
    t.close(fd);
    expect(p.closed).toBe(0);
    t.close(copy);
    expect(p.closed).toBe(1);
  });

  it("dup2 replaces (closing the old description), dup2 to itself is a no-op", () => {
    const t = new FdTable();
    const [a, b] = [new Probe(), new Probe()];
    t.install(a, false);
    t.install(b, false);
    expect(t.dupTo(0, 1)).toBe(1);
    expect(b.closed).toBe(1);
    expect(t.get(1)).toBe(a);
    expect(t.dupTo(0, 0)).toBe(0);
    expect(t.references(a)).toBe(2);
    expect(t.dupTo(0, 7, true)).toBe(7);
    expect(t.getCloexec(7)).toBe(true);
  });

  it("fails as Linux: EBADF for closed or negative fds, EMFILE when full", () => {
    const t = new FdTable(3);
    expect(errno(() => t.get(0))).toBe("EBADF");
    expect(errno(() => t.get(-1))).toBe("EBADF");
    expect(errno(() => t.close(5))).toBe("EBADF");
    expect(errno(() => t.dupTo(0, 1))).toBe("EBADF");
    for (let i = 0; i < 3; i++) t.install(new Probe(), false);
    expect(errno(() => t.install(new Probe(), false))).toBe("EMFILE");
    expect(errno(() => t.dupTo(0, 3))).toBe("EBADF");
    expect(errno(() => t.dup(0, 99))).toBe("EINVAL");
  });
});
