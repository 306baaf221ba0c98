import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Machine } from "./machine.js";

const GUEST = new URL("../../../../guest/bin/", import.meta.url);

/** Just enough of a syscall layer for these tests: write and writev to fds 1 and 2. */
function consoleOnly(stdout: string[], stderr: string[]) {
  const text = new TextDecoder();
  return (nr: number, a: readonly number[], m: Machine): number => {
    const fd = a[0]!;
    if ((nr !== 1 && nr !== 20) || (fd !== 1 && fd !== 2)) return -38;
    const sink = fd === 1 ? stdout : stderr;
    if (nr === 1) {
      const bytes = m.space.read(a[1]!, a[2]!);
      if (bytes === undefined) return -14;
      sink.push(text.decode(bytes));
      return bytes.length;
    }
    let total = 0;
    for (let k = 0; k < a[2]!; k++) {
      const iov = m.space.read(a[1]! + 16 * k, 16);
      if (iov === undefined) return -14;
      const v = new DataView(iov.buffer);
      const bytes = m.space.read(Number(v.getBigUint64(0, true)), Number(v.getBigUint64(8, true)));
      if (bytes === undefined) return -14;
      sink.push(text.decode(bytes));
      total += bytes.length;
    }
    return total;
  };
}

async function boot(name: string, argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const m = new Machine({ syscalls: consoleOnly(stdout, stderr), memoryBytes: 64 << 20 });
  m.load({ file: new Uint8Array(readFileSync(new URL(name, GUEST))), path: argv[0]!, argv, env: [] });
  const status = await m.run();
  return { machine: m, status, stdout: stdout.join(""), stderr: stderr.join("") };
}

function native(name: string, args: string[]) {
  const r = spawnSync(fileURLToPath(new URL(name, GUEST)), args, { encoding: "utf8", env: {} });
  return { status: r.status ?? 128 + (r.signal === "SIGSEGV" ? 11 : 0), stdout: r.stdout, stderr: r.stderr };
}

describe("Machine", () => {
  it("boots static musl hello with the same stdout, stderr and exit status as natively", async () => {
    const vm = await boot("musl/hello", ["/hello"]);
    const host = native("musl/hello", []);
    expect(vm.stdout).toBe(host.stdout);
    expect(vm.stderr).toBe(host.stderr);
    expect(vm.status).toBe(host.status);
  });

  it("reports a NULL write as SIGSEGV with the faulting address", async () => {
    const vm = await boot("musl/segv", ["/segv"]);
    expect(vm.status).toBe(128 + 11);
    expect(vm.machine.crash?.address).toBe(0);
    expect(vm.machine.crash?.message).toMatch(/segmentation fault at address 0x0 \(write/);
    expect(vm.stdout + vm.stderr).toBe(native("musl/segv", []).stdout + native("musl/segv", []).stderr);
  });
});
