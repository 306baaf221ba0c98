// The syscall layer against the host's real syscalls through Node: the cost of a guest syscall
// in nanots (dispatch, argument checks, guest-memory copies, VFS over an in-memory TFS) next
// to the same call made natively by Node (libuv → the Linux kernel, page cache warm).
// Rates are calls/s.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSuites, type Contender } from "@nanots/bench-kit";
import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { ArrayUserMemory, createSyscalls, FdTable, syscallByName, Vfs } from "../src/index.js";

const N = 200_000;
const FILE_N = 20_000;
const nr = (name: string): number => syscallByName(name)!.nr;
const [GETUID, WRITE, OPEN, READ, CLOSE, STAT] = ["getuid", "write", "open", "read", "close", "stat"].map(nr) as [number, number, number, number, number, number];
const CONTENT = new Uint8Array(4096).fill(0x61);

function nanots(): Contender {
  return {
    name: "@nanots/syscalls createSyscalls (guest call)",
    ours: true,
    make: () => {
      const fs = Tfs.format(new MemoryBlockDevice(64 * 2 ** 20));
      fs.writeFile("/data", CONTENT);
      const mem = new ArrayUserMemory(2 ** 20, 0x10000);
      const path = (s: string, at: number): number => (mem.write(at, new TextEncoder().encode(`${s}\0`)), at);
      const devNull = path("/dev/null", 0x10000);
      const data = path("/data", 0x10100);
      const buf = 0x20000;
      const sys = createSyscalls({
        memory: mem,
        vfs: new Vfs({ fs, random: (n) => new Uint8Array(n) }),
        fds: new FdTable(),
        console: { stdout: () => {}, stderr: () => {} },
        kernel: { exit: () => {} },
        random: (n) => new Uint8Array(n),
      });
      const nullFd = sys(OPEN, [devNull, 1, 0, 0, 0, 0]);
      return {
        getuid: () => {
          let sum = 0;
          for (let i = 0; i < N; i++) sum += sys(GETUID, [0, 0, 0, 0, 0, 0]);
          return sum;
        },
        "write 64 B to /dev/null": () => {
          let sum = 0;
          for (let i = 0; i < N; i++) sum += sys(WRITE, [nullFd, buf, 64, 0, 0, 0]);
          return sum;
        },
        stat: () => {
          let ok = 0;
          for (let i = 0; i < FILE_N; i++) ok += sys(STAT, [data, buf, 0, 0, 0, 0]) === 0 ? 1 : 0;
          return ok;
        },
        "open + read 4 KiB + close": () => {
          let bytes = 0;
          for (let i = 0; i < FILE_N; i++) {
            const fd = sys(OPEN, [data, 0, 0, 0, 0, 0]);
            bytes += sys(READ, [fd, buf, 4096, 0, 0, 0]);
            sys(CLOSE, [fd, 0, 0, 0, 0, 0]);
          }
          return bytes;
        },
      };
    },
  };
}

function node(): Contender {
  return {
    name: "Node fs / process (host kernel)",
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), "nanots-bench-"));
      const file = join(dir, "data");
      writeFileSync(file, CONTENT);
      const nullFd = openSync("/dev/null", "w");
      const buf = new Uint8Array(4096);
      const small = buf.subarray(0, 64);
      process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
      return {
        getuid: () => {
          let sum = 0;
          for (let i = 0; i < N; i++) sum += process.getuid!() === 0 ? 0 : 0;
          return sum;
        },
        "write 64 B to /dev/null": () => {
          let sum = 0;
          for (let i = 0; i < N; i++) sum += writeSync(nullFd, small);
          return sum;
        },
        stat: () => {
          let ok = 0;
          for (let i = 0; i < FILE_N; i++) ok += statSync(file).size === 4096 ? 1 : 0;
          return ok;
        },
        "open + read 4 KiB + close": () => {
          let bytes = 0;
          for (let i = 0; i < FILE_N; i++) {
            const fd = openSync(file, "r");
            bytes += readSync(fd, buf, 0, 4096, null);
            closeSync(fd);
          }
          return bytes + (fstatSync(nullFd).size & 0);
        },
      };
    },
  };
}

runSuites(import.meta.url, [
  {
    title: "syscalls: a guest syscall in nanots vs the same call natively through Node (calls/s)",
    ops: { getuid: N, "write 64 B to /dev/null": N, stat: FILE_N, "open + read 4 KiB + close": FILE_N },
    contenders: [nanots(), node()],
  },
]);
