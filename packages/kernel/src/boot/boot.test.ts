import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { buildImage, type ImageSpec } from "../node/build-image.js";
import { boot } from "./boot.js";

const GUEST = fileURLToPath(new URL("../../../../guest/", import.meta.url));

async function runInVm(spec: ImageSpec) {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const vm = boot({
    disk: new MemoryBlockBackend(buildImage(spec)),
    memoryBytes: 128 << 20,
    stdout: (b) => out.push(b.slice()),
    stderr: (b) => err.push(b.slice()),
  });
  const status = await vm.run();
  const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");
  return { status, stdout: text(out), stderr: text(err), machine: vm.machine };
}

function runNative(program: string, argv0: string, args: string[]) {
  const r = spawnSync(program, args, { encoding: "utf8", env: {}, argv0 });
  return { status: r.status ?? 128 + (r.signal === "SIGSEGV" ? 11 : 0), stdout: r.stdout, stderr: r.stderr };
}

describe("boot", () => {
  for (const libc of ["musl", "glibc"]) {
    for (const [name, args] of [
      ["hello", []],
      ["args", ["one", "two words", ""]],
      ["unsupported", []],
      ["malloc", ["150"]],
      ["write", ["/tmp"]],
      ["floats", []],
      ["threads", []],
      ["pipes", []],
      ["mmap", []],
      ["signals", []],
      ["segv", []],
    ] as const) {
      it(`runs ${libc}/${name} with the same output and status as natively`, async () => {
        const program = `${GUEST}bin/${libc}/${name}`;
        const vm = await runInVm({ program, guestPath: `/${name}`, args: [...args] });
        const host = runNative(program, `/${name}`, [...args]);
        expect(vm.stdout).toBe(host.stdout);
        expect(vm.stderr).toBe(host.stderr);
        expect(vm.status).toBe(host.status);
      }, 180_000);
    }
  }

  it("reports a NULL write as SIGSEGV with the faulting address", async () => {
    const vm = await runInVm({ program: `${GUEST}bin/musl/segv`, guestPath: "/segv" });
    expect(vm.status).toBe(128 + 11);
    expect(vm.machine.crash?.address).toBe(0);
    expect(vm.machine.crash?.message).toMatch(/^segmentation fault at address 0x0 \(write, not mapped\) at rip 0x[0-9a-f]+$/);
  });

  for (const libc of ["musl", "glibc"]) {
    it(`reads files, directories and symlinks copied into the image (${libc}/files)`, async () => {
      const data = mkdtempSync(join(tmpdir(), "nanots-files-"));
      try {
        mkdirSync(join(data, "sub"));
        writeFileSync(join(data, "a.txt"), "hello\n");
        writeFileSync(join(data, "sub", "b"), new Uint8Array(70_000).map((_, i) => i * 31));
        symlinkSync("a.txt", join(data, "link"));
        const program = `${GUEST}bin/${libc}/files`;
        const vm = await runInVm({ program, guestPath: "/files", args: ["/data", "/data/link", "/missing"], mounts: [{ host: data, guest: "/data" }] });
        // Natively the tree is at its host path; the output names it /data to compare.
        const host = runNative(program, "/files", [data, join(data, "link"), "/missing"]);
        expect(vm.stdout).toBe(host.stdout.replaceAll(data, "/data"));
        expect(vm.stderr).toBe(host.stderr.replaceAll(data, "/data"));
        expect(vm.status).toBe(host.status);
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    }, 60_000);
  }

  it("runs a Go program with goroutines, channels, timers, files and recover as natively", async () => {
    const program = `${GUEST}bin/go/features`;
    const vm = await runInVm({ program, guestPath: "/features" });
    const host = runNative(program, "/features", []);
    expect(vm.stdout).toBe(host.stdout);
    expect(vm.status).toBe(host.status);
  }, 120_000);

  it("runs a Go program with TCP, HTTP, UDP and unix sockets inside the VM as natively", async () => {
    const program = `${GUEST}bin/go/net`;
    const vm = await runInVm({ program, guestPath: "/net" });
    const host = runNative(program, "/net", []);
    expect(vm.stdout).toBe(host.stdout);
    expect(vm.stdout).toContain("200 path=/nanots");
    expect(vm.status).toBe(host.status);
  }, 120_000);

  it("runs a Go program (static, CGO_ENABLED=0) with the same output as natively", async () => {
    const program = `${GUEST}bin/go/hello`;
    const vm = await runInVm({ program, guestPath: "/hello" });
    const host = runNative(program, "/hello", []);
    expect(vm.stdout).toBe(host.stdout);
    expect(vm.stderr).toBe(host.stderr);
    expect(vm.status).toBe(host.status);
    // The Go runtime starts its own threads (sysmon, GC workers).
    expect(vm.machine.scheduler.threads.length).toBeGreaterThan(1);
  }, 120_000);
});
