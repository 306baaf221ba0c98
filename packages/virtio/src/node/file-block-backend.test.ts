import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlkStatus } from "../devices/blk-constants.js";
import { BlkRequestType } from "../devices/blk-constants.js";
import { makeBlkMachine } from "../testing/blk-machine.js";
import { rawRequester } from "../testing/raw-blk.js";
import { DATA } from "../testing/machine.js";
import { BufferGuestMemory } from "../guest-memory.js";
import { FileBlockBackend } from "./file-block-backend.js";

// The tsconfig has no DOM lib, so WebAssembly.Memory is typed here by hand.
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
const { WebAssembly } = globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory } };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nanots-virtio-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 13 + seed) & 0xff);
}

describe("FileBlockBackend under virtio-blk", () => {
  it("reads an existing image into guest memory", async () => {
    const path = join(dir, "disk.img");
    const image = pattern(16 * 512, 5);
    writeFileSync(path, image);
    const backend = FileBlockBackend.open(path);
    const m = makeBlkMachine(backend, { id: "disk.img" });
    expect(m.driver.capacity).toBe(16);
    expect(await m.read(3, [{ addr: DATA, len: 1024 }, { addr: DATA + 0x8000, len: 512 }])).toBe(BlkStatus.OK);
    expect(m.memory.bytes(DATA, 1024)).toEqual(image.subarray(3 * 512, 5 * 512));
    expect(m.memory.bytes(DATA + 0x8000, 512)).toEqual(image.subarray(5 * 512, 6 * 512));
    expect(await m.getId()).toEqual({ status: BlkStatus.OK, id: "disk.img" });
    backend.close();
  });

  it("writes guest memory to the file and flushes it", async () => {
    const path = join(dir, "new.img");
    const backend = FileBlockBackend.create(path, 1 << 20);
    expect(statSync(path).size).toBe(1 << 20);
    const m = makeBlkMachine(backend);
    const data = pattern(4096, 9);
    m.memory.bytes(DATA, 4096).set(data);
    expect(await m.write(100, [{ addr: DATA, len: 2048 }, { addr: DATA + 2048, len: 2048 }])).toBe(BlkStatus.OK);
    expect(await m.flush()).toBe(BlkStatus.OK);
    backend.close();
    expect(readFileSync(path).subarray(100 * 512, 100 * 512 + 4096)).toEqual(Buffer.from(data));
  });

  it("completes FLUSH before submit returns in sync mode (a kernel's fsync waits for it in place)", () => {
    const backend = FileBlockBackend.create(join(dir, "flush.img"), 1 << 16);
    let result: Error | undefined | "pending" = "pending";
    backend.submit({ op: "flush", sector: 0, buffers: [] }, (error) => (result = error));
    expect(result).toBeUndefined();
    backend.close();
  });

  it("answers IOERR past the end, for writes to a read-only image, and after close", async () => {
    const path = join(dir, "ro.img");
    writeFileSync(path, new Uint8Array(8 * 512 + 100)); // the trailing partial sector is not disk
    const backend = FileBlockBackend.open(path, { readOnly: true });
    expect(backend.sectors).toBe(8);
    const m = makeBlkMachine(backend);
    expect(m.driver.readOnly).toBe(true);
    expect(() => m.driver.read(8, [{ addr: DATA, len: 512 }], () => {})).toThrowError(/outside the disk of 8 sectors/);
    const raw = rawRequester(backend); // what a guest that skips those checks gets
    expect(raw(BlkRequestType.IN, 8, 512)).toBe(BlkStatus.IOERR);
    expect(raw(BlkRequestType.IN, 7, 1024)).toBe(BlkStatus.IOERR);
    expect(raw(BlkRequestType.OUT, 0, 512)).toBe(BlkStatus.IOERR);
    expect(raw(BlkRequestType.IN, 7, 512)).toBe(BlkStatus.OK);
    const results: number[] = [];
    backend.submit({ op: "write", sector: 0, buffers: [new Uint8Array(512)] }, (error) => results.push(error ? 1 : 0));
    expect(results).toEqual([1]); // EBADF from the read-only descriptor
    backend.close();
    expect(await m.read(0, [{ addr: DATA, len: 512 }])).toBe(BlkStatus.IOERR);
  });

  it("moves bytes between the file and a WebAssembly.Memory guest RAM, also after it grows", async () => {
    const path = join(dir, "wasm.img");
    const image = pattern(64 * 512, 3);
    writeFileSync(path, image);
    const wasm = new WebAssembly.Memory({ initial: 48, maximum: 64, shared: true }); // 3 MiB, SharedArrayBuffer
    const memory = new BufferGuestMemory(wasm);
    const backend = FileBlockBackend.open(path);
    const m = makeBlkMachine(backend, { memory });
    expect(await m.read(0, [{ addr: DATA, len: 8 * 512 }])).toBe(BlkStatus.OK);
    expect(new Uint8Array(wasm.buffer, DATA, 8 * 512)).toEqual(image.subarray(0, 8 * 512));
    wasm.grow(16); // 4 MiB: a buffer past the old end is now valid guest memory
    const high = 0x3f0000;
    new Uint8Array(wasm.buffer, high, 512).fill(0x5a);
    expect(await m.write(63, [{ addr: high, len: 512 }])).toBe(BlkStatus.OK);
    backend.close();
    expect(readFileSync(path).subarray(63 * 512).every((b) => b === 0x5a)).toBe(true);
  });

  it("in async mode completes later through libuv, with the same bytes", async () => {
    const path = join(dir, "async.img");
    const image = pattern(256 * 512, 7);
    writeFileSync(path, image);
    const backend = FileBlockBackend.open(path, { mode: "async" });
    const m = makeBlkMachine(backend);
    m.memory.bytes(DATA + 0x80000, 4096).set(pattern(4096, 11));
    const reads = Array.from({ length: 16 }, (_, i) => m.read(i * 16, [{ addr: DATA + 0x2000 * i, len: 4096 }, { addr: DATA + 0x2000 * i + 4096, len: 4096 }]));
    const write = m.write(240, [{ addr: DATA + 0x80000, len: 4096 }]);
    expect(m.driver.outstanding).toBe(17); // nothing completed synchronously
    expect(await Promise.all([...reads, write])).toEqual(Array(17).fill(BlkStatus.OK));
    for (let i = 0; i < 16; i++) expect(Buffer.compare(m.memory.bytes(DATA + 0x2000 * i, 8192), image.subarray(i * 16 * 512, i * 16 * 512 + 8192))).toBe(0);
    expect(await m.flush()).toBe(BlkStatus.OK);
    backend.close();
    expect(Buffer.compare(readFileSync(path).subarray(240 * 512, 248 * 512), pattern(4096, 11))).toBe(0);
  });

  it("reads zeros if the file shrinks under the device", async () => {
    const path = join(dir, "shrink.img");
    writeFileSync(path, pattern(8 * 512, 1));
    const backend = FileBlockBackend.open(path);
    const m = makeBlkMachine(backend);
    truncateSync(path, 512);
    m.memory.bytes(DATA, 1024).fill(0xff);
    expect(await m.read(0, [{ addr: DATA, len: 1024 }])).toBe(BlkStatus.OK);
    expect(m.memory.bytes(DATA, 512)).toEqual(pattern(512, 1));
    expect(m.memory.bytes(DATA + 512, 512).every((b) => b === 0)).toBe(true);
    backend.close();
  });

  it("makes FLUSH a no-op with cache: unsafe, and rejects bad sizes", async () => {
    const backend = FileBlockBackend.create(join(dir, "u.img"), 4096, { cache: "unsafe" });
    const m = makeBlkMachine(backend);
    expect(await m.flush()).toBe(BlkStatus.OK);
    backend.close();
    expect(() => FileBlockBackend.create(join(dir, "bad.img"), 1000)).toThrowError(/512-byte sectors/);
    expect(() => FileBlockBackend.open(join(dir, "missing.img"))).toThrowError(/ENOENT/);
  });
});
