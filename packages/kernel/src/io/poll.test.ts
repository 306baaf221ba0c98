import { fileURLToPath } from "node:url";
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { boot } from "../boot/boot.js";
import { buildImage } from "../node/build-image.js";

const HELLO = fileURLToPath(new URL("../../../../guest/bin/musl/hello", import.meta.url));
const POLLIN = 1;
const POLLNVAL = 0x20;

describe("poll and select over pipes", () => {
  it("reports readiness, POLLNVAL for bad fds, and blocks the thread when nothing is ready", () => {
    const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO })), memoryBytes: 32 << 20, stdout: () => {}, stderr: () => {} });
    const m = vm.machine;
    const buf = m.cpu.regNumber(4) - 0x10000; // scratch in the stack mapping
    const call = (nr: number, ...args: number[]): number => m.syscalls(nr, [...args, 0, 0, 0, 0, 0, 0].slice(0, 6), m);
    expect(call(293, buf, 0)).toBe(0); // pipe2
    const fds = m.space.read(buf, 8)!;
    const [r, w] = [new DataView(fds.buffer).getInt32(0, true), new DataView(fds.buffer).getInt32(4, true)];
    const pollfds = (...entries: Array<[number, number]>): number => {
      const b = new Uint8Array(8 * entries.length);
      entries.forEach(([fd, events], k) => {
        new DataView(b.buffer).setInt32(8 * k, fd, true);
        new DataView(b.buffer).setInt16(8 * k + 4, events, true);
      });
      m.space.write(buf + 64, b);
      return buf + 64;
    };
    const revents = (k: number): number => new DataView(m.space.read(buf + 64 + 8 * k, 8)!.buffer).getInt16(6, true);
    expect(call(7, pollfds([r, POLLIN]), 1, 0)).toBe(0); // poll, nothing to read yet
    m.space.write(buf + 200, new TextEncoder().encode("x"));
    expect(call(1, w, buf + 200, 1)).toBe(1); // write
    expect(call(7, pollfds([r, POLLIN], [999, POLLIN]), 2, 0)).toBe(2);
    expect(revents(0)).toBe(POLLIN);
    expect(revents(1)).toBe(POLLNVAL);
    expect(call(0, r, buf + 300, 10)).toBe(1); // read drains the pipe
    call(7, pollfds([r, POLLIN]), 1, 1000);
    expect(m.scheduler.restartPending).toBe(true); // the thread waits for the pipe
    expect(m.scheduler.current.state).toBe(1);
  });

  it("select reports readable and writable pipe ends in fd_set bitmaps", () => {
    const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO })), memoryBytes: 32 << 20, stdout: () => {}, stderr: () => {} });
    const m = vm.machine;
    const buf = m.cpu.regNumber(4) - 0x10000;
    const call = (nr: number, ...args: number[]): number => m.syscalls(nr, [...args, 0, 0, 0, 0, 0, 0].slice(0, 6), m);
    call(293, buf, 0); // pipe2
    const fds = new DataView(m.space.read(buf, 8)!.buffer);
    const [r, w] = [fds.getInt32(0, true), fds.getInt32(4, true)];
    const set = (addr: number, ...members: number[]): void => {
      const b = new Uint8Array(8);
      for (const fd of members) b[fd >> 3]! |= 1 << (fd & 7);
      m.space.write(addr, b);
    };
    const has = (addr: number, fd: number): boolean => (m.space.read(addr, 8)![fd >> 3]! & (1 << (fd & 7))) !== 0;
    set(buf + 64, r);
    set(buf + 72, w);
    m.space.write(buf + 80, new Uint8Array(16)); // a zero timeval: poll once
    expect(call(23, Math.max(r, w) + 1, buf + 64, buf + 72, 0, buf + 80)).toBe(1); // only the write end
    expect(has(buf + 64, r)).toBe(false);
    expect(has(buf + 72, w)).toBe(true);
    m.space.write(buf + 200, new TextEncoder().encode("y"));
    call(1, w, buf + 200, 1);
    set(buf + 64, r);
    expect(call(23, r + 1, buf + 64, 0, 0, buf + 80)).toBe(1);
    expect(has(buf + 64, r)).toBe(true);
    set(buf + 64, 50);
    expect(call(23, 51, buf + 64, 0, 0, buf + 80)).toBe(-9); // EBADF
    // Bits beyond the fd table (64 slots while fds are low) are ignored, as on Linux.
    const wide = new Uint8Array(128);
    wide[900 >> 3] = 1 << (900 & 7);
    m.space.write(buf + 400, wide);
    expect(call(23, 901, buf + 400, 0, 0, buf + 80)).toBe(0);
    expect(call(33, r, 100)).toBe(100); // dup2: now the table has 256 slots
    m.space.write(buf + 400, wide);
    expect(call(23, 901, buf + 400, 0, 0, buf + 80)).toBe(0);
    wide.fill(0);
    wide[250 >> 3] = 1 << (250 & 7);
    m.space.write(buf + 400, wide);
    expect(call(23, 251, buf + 400, 0, 0, buf + 80)).toBe(-9);
  });
});
