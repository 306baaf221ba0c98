import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { expect, it } from "vitest";
import { ArrayUserMemory, createSyscalls, FdTable, syscallByName, Vfs } from "./index.js";

it("runs the README example", () => {
  const out: string[] = [];
  const log: string[] = [];
  const exits: number[] = [];
  const fs = Tfs.format(new MemoryBlockDevice(2 ** 26));
  fs.mkdir("/etc");
  fs.writeFile("/etc/motd", "hello from TFS\n");

  const memory = new ArrayUserMemory(1 << 20, 0x400000);
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const sys = createSyscalls({
    memory,
    vfs: new Vfs({ fs, random, programPath: "/bin/app" }),
    fds: new FdTable(),
    console: { stdout: (b) => out.push(new TextDecoder().decode(b)), stderr: () => {} },
    kernel: { exit: (code) => exits.push(code) },
    random,
    trace: (event) => log.push(event.text),
  });
  const nr = (name: string) => syscallByName(name)!.nr;

  memory.write(0x400000, new TextEncoder().encode("/etc/motd\0"));
  const fd = sys(nr("openat"), [-100, 0x400000, 0, 0, 0, 0]);
  const n = sys(nr("read"), [fd, 0x401000, 4096, 0, 0, 0]);
  sys(nr("write"), [1, 0x401000, n, 0, 0, 0]);
  sys(nr("exit_group"), [0, 0, 0, 0, 0, 0]);

  expect([fd, n]).toEqual([3, 15]);
  expect(out).toEqual(["hello from TFS\n"]);
  expect(exits).toEqual([0]);
  expect(log).toEqual([
    'openat(AT_FDCWD, "/etc/motd", O_RDONLY) = 3',
    'read(3, "hello from TFS\\n", 4096) = 15',
    'write(1, "hello from TFS\\n", 15) = 15',
    "exit_group(0) = ?",
  ]);
});
