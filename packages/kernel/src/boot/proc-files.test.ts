// The kernel's files as Nanos provides them (they differ from Linux's, so the guest's own checks
// are only what both share): sys-proc run with "dump" prints them, and here the exact formats are
// checked: /proc/self/exe names the program by its image path, /proc/meminfo has Nanos's seven
// lines for this machine's RAM, the CPU list is "0-N" even for one CPU, /proc/mounts lists the
// root TFS, /proc/self/maps covers the program, and there is no /proc/cpuinfo (Nanos has none).
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { GUEST_DIR } from "../elf/guest-binaries.js";
import { buildImage } from "../node/build-image.js";
import { boot } from "./boot.js";

const MEMORY = 128 << 20;

async function dump(libc: string): Promise<Map<string, string>> {
  const out: Uint8Array[] = [];
  const vm = boot({
    disk: new MemoryBlockBackend(buildImage({ program: `${GUEST_DIR}bin/${libc}/sys-proc`, guestPath: "/bin/sys-proc", args: ["/tmp", "dump"] })),
    memoryBytes: MEMORY,
    stdout: (b) => out.push(b.slice()),
    stderr: (b) => out.push(b.slice()),
  });
  expect(await vm.run()).toBe(0);
  // Sections: "name: value" on one line, or "name:" followed by lines up to the next section.
  const sections = new Map<string, string>();
  let current = "";
  for (const line of Buffer.concat(out).toString().split("\n")) {
    if (line.startsWith("ok ") || line.startsWith("FAIL ") || /^\d+ failed$/.test(line)) continue;
    const head = /^(exe|maps|meminfo|online|mounts|cpuinfo):(?: (.*))?$/.exec(line);
    if (head !== null) {
      current = head[1]!;
      sections.set(current, head[2] ?? "");
    } else if (current !== "" && line !== "") {
      sections.set(current, `${sections.get(current)}${line}\n`);
    }
  }
  return sections;
}

describe("/proc and /sys as Nanos provides them", () => {
  for (const libc of ["musl", "glibc"]) {
    it(`${libc}/sys-proc: exe, meminfo, cpu online, mounts, maps; no cpuinfo`, async () => {
      const s = await dump(libc);
      expect(s.get("exe")).toBe("/bin/sys-proc");
      const meminfo = s.get("meminfo")!;
      expect(meminfo).toMatch(/^MemTotal: {5}[ \d]{9} kB\nMemFree: {6}[ \d]{9} kB\nMemAvailable: [ \d]{9} kB\nBuffers: {14}0 kB\nSwapTotal: {12}0 kB\nSwapFree: {13}0 kB\nCached: {7}[ \d]{9} kB\n$/);
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(meminfo)![1]);
      expect(kb("MemTotal")).toBe(MEMORY / 1024);
      expect(kb("MemFree")).toBeLessThan(kb("MemTotal")); // the program's own pages are in use
      expect(kb("MemFree")).toBeGreaterThan(kb("MemTotal") / 2);
      expect(s.get("online")).toBe("0-0");
      expect(s.get("mounts")).toMatch(/^\S+ \/ tfs rw 0 0\n$/);
      const maps = s.get("maps")!.trimEnd().split("\n");
      for (const line of maps) expect(line).toMatch(/^[0-9a-f]+-[0-9a-f]+ [r-][w-][x-]p [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} \d+\s*(\S+)?$/);
      expect(maps.some((l) => / r-xp .*\/bin\/sys-proc$/.test(l))).toBe(true);
      expect(maps.some((l) => l.endsWith("[stack]"))).toBe(true);
      expect(s.get("cpuinfo")).toBe("No such file or directory");
    }, 60_000);
  }
});

describe("the readonly_rootfs manifest flag", () => {
  it("makes every change to the root filesystem EROFS, and /proc/mounts says ro", async () => {
    const out: Uint8Array[] = [];
    const vm = boot({
      disk: new MemoryBlockBackend(buildImage({ program: `${GUEST_DIR}bin/musl/sys-proc`, guestPath: "/sys-proc", args: ["/tmp", "dump"], flags: { readonly_rootfs: "t" } })),
      memoryBytes: MEMORY,
      stdout: (b) => out.push(b.slice()),
      stderr: (b) => out.push(b.slice()),
    });
    expect(await vm.run()).toBe(0);
    expect(Buffer.concat(out).toString()).toMatch(/^mounts:\n\S+ \/ tfs ro 0 0\n/m);

    const write: Uint8Array[] = [];
    const writer = boot({
      disk: new MemoryBlockBackend(buildImage({ program: `${GUEST_DIR}bin/musl/write`, guestPath: "/write", args: ["/tmp"], flags: { readonly_rootfs: "t" } })),
      memoryBytes: MEMORY,
      stdout: (b) => write.push(b.slice()),
      stderr: (b) => write.push(b.slice()),
    });
    expect(await writer.run()).not.toBe(0);
    expect(Buffer.concat(write).toString()).toMatch(/^FAIL mkdir.*: Read-only file system$/m);
  }, 60_000);

  it("a read-only disk is mounted read-only: changes are EROFS and the run ends cleanly", async () => {
    const out: Uint8Array[] = [];
    const image = buildImage({ program: `${GUEST_DIR}bin/musl/write`, guestPath: "/write", args: ["/tmp"] });
    const vm = boot({ disk: new MemoryBlockBackend(image.slice(), { readOnly: true }), memoryBytes: MEMORY, stdout: (b) => out.push(b.slice()), stderr: (b) => out.push(b.slice()) });
    expect(await vm.run()).not.toBe(0);
    expect(Buffer.concat(out).toString()).toMatch(/^FAIL mkdir.*: Read-only file system$/m);
    expect(vm.fs.writable).toBe(false);
  }, 60_000);
});
