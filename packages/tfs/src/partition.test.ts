import { describe, expect, it } from "vitest";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { PartitionDevice, rootFilesystemDevice, rootFilesystemStart } from "./partition.js";
import { Tfs } from "./tfs.js";

/** A disk with an MBR whose entries are given as (type, lba, count). */
function disk(sectors: number, entries: Array<[number, number, number]>, signature = true): MemoryBlockDevice {
  const device = new MemoryBlockDevice(sectors);
  const mbr = new Uint8Array(512);
  const view = new DataView(mbr.buffer);
  entries.forEach(([type, lba, count], i) => {
    const at = 0x1be + 16 * i;
    mbr[at] = 0x80;
    mbr[at + 4] = type;
    view.setUint32(at + 8, lba, true);
    view.setUint32(at + 12, count, true);
  });
  if (signature) mbr.set([0x55, 0xaa], 510);
  device.write(0, mbr);
  return device;
}

describe("root partition lookup (Nanos's MBR rule)", () => {
  it("takes entry 1 (the fixture's layout: bootfs at LBA 0x67, root at 0x6067)", () => {
    expect(rootFilesystemStart(disk(0x8000, [[0x83, 0x67, 0x6000], [0x83, 0x6067, 0x1400]]))).toBe(0x6067);
  });
  it("takes entry 2 when entry 0 is an EFI system partition", () => {
    expect(rootFilesystemStart(disk(0x9000, [[0xef, 0x800, 0x100], [0x83, 0x900, 0x100], [0x83, 0xa00, 0x100]]))).toBe(0xa00);
  });
  it("no signature, LBA 0 or no sectors: a raw volume at 0", () => {
    expect(rootFilesystemStart(disk(100, [[0x83, 1, 1], [0x83, 5, 5]], false))).toBe(0);
    expect(rootFilesystemStart(disk(100, [[0x83, 1, 1], [0x83, 0, 5]]))).toBe(0);
    expect(rootFilesystemStart(disk(100, [[0x83, 1, 1], [0x83, 5, 0]]))).toBe(0);
  });
  it("a filesystem inside a partition mounts through PartitionDevice", () => {
    const device = disk(20000, [[0x83, 64, 100], [0x83, 200, 19800]]);
    const part = new PartitionDevice(device, rootFilesystemStart(device));
    const fs = Tfs.format(part, { label: "root" });
    fs.writeFile("/x", "in a partition");
    fs.sync();
    const again = Tfs.mount(rootFilesystemDevice(device));
    expect(again.label).toBe("root");
    expect(new TextDecoder().decode(again.readFile("/x"))).toBe("in a partition");
    expect(() => part.read(19800, new Uint8Array(512))).toThrow(RangeError);
  });
});
