import { describe, expect, it } from "vitest";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { readLog } from "./log-reader.js";
import { fixtureImage, fixtureNames, fixtureText } from "./testing/fixtures.js";
import { formatUuid } from "./log-header.js";
import { Tfs } from "./tfs.js";

describe("readLog on the Nanos fixtures", () => {
  for (const name of fixtureNames()) {
    it(`${name}: chain, label and UUID match meta.json`, () => {
      const meta = JSON.parse(fixtureText(name, "meta.json")) as { label: string; uuid: string; extensions: number[][] };
      const log = readLog(MemoryBlockDevice.from(fixtureImage(name)));
      expect(log.label).toBe(meta.label);
      expect(formatUuid(log.uuid).replaceAll("-", "")).toBe(meta.uuid);
      expect(log.extensions.map((e) => [e.start, e.sectors, e.version])).toEqual(meta.extensions);
    });
  }
});

describe("readLog edge cases of real logs", () => {
  it("ignores garbage after END_OF_LOG, in sector 0 and in the last extension", () => {
    const image = fixtureImage("small");
    const end = 512 + readLog(MemoryBlockDevice.from(image)).tail.end;
    const dirty = image.slice();
    for (let i = 0x1e; i < 512; i++) dirty[i] = (i * 37) & 0xff;
    for (let i = end + 1; i < end + 300; i++) dirty[i] = (i * 11) & 0xff;
    const clean = readLog(MemoryBlockDevice.from(image));
    const log = readLog(MemoryBlockDevice.from(dirty));
    expect(log.records).toBe(clean.records);
    expect(log.codec.dictionary.size).toBe(clean.codec.dictionary.size);
  });

  it("an append turns the old END_OF_LOG into END_OF_SEGMENT and continues right after it", () => {
    const device = MemoryBlockDevice.from(fixtureImage("small"));
    const before = readLog(device);
    const fs = Tfs.mount(device);
    fs.mkdir("/new");
    fs.sync();
    const after = readLog(device);
    const sector = new Uint8Array(1024);
    device.read(1 + Math.floor(before.tail.end / 512), sector);
    const at = before.tail.end % 512;
    expect(sector[at]).toBe(0x04);
    expect(sector[at + 1]).toBe(0x02);
    expect(after.records).toBe(before.records + 2); // the new directory, then the root's mtime
    expect(after.tail.end).toBeGreaterThan(before.tail.end);
  });
});
