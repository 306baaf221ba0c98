import { describe, expect, it } from "vitest";
import { EXTENSION_SECTORS, SECTOR_SIZE } from "./constants.js";
import { readLog } from "./log-reader.js";
import { LogWriter } from "./log-writer.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { Tuple, TupleCodec } from "@nanots/tuple";

const identity = { uuid: new Uint8Array(16).fill(7), label: "lbl" };

function bytesAt(device: MemoryBlockDevice, sector: number, offset: number, length: number): number[] {
  const buf = new Uint8Array(Math.ceil((offset + length) / SECTOR_SIZE) * SECTOR_SIZE);
  device.read(sector, buf);
  return [...buf.subarray(offset, offset + length)];
}

/** A record whose bytes decode: the root tuple with one long-named child. */
function bigRootRecord(nameLength: number): Uint8Array {
  return new TupleCodec().encodeTuple(Tuple.from({ children: { ["n".repeat(nameLength)]: {} } }));
}

describe("LogWriter lays records out as Nanos does (TFS-FORMAT.md §4.4)", () => {
  it("a record larger than an extension: 'here' = size − used − 42, link right after, TUPLE_EXTENDED next", () => {
    const device = new MemoryBlockDevice(8192);
    let next = 1 + EXTENSION_SECTORS;
    const writer = LogWriter.create(device, identity, 1, () => {
      const s = next;
      next += EXTENSION_SECTORS;
      return s;
    });
    const record = bigRootRecord(532_400);
    writer.commit([record]);
    const total = record.length;
    // The same numbers as the Nanos-made fixture "many": here = 524237 (9F FF 4D) at ext@1+9.
    expect(bytesAt(device, 1, 9, 7)).toEqual([0x02, ...varint(total), 0x9f, 0xff, 0x4d]);
    // …and the link to ext@1025 at ext@1 + 0x7FFDD: 05 88 01 88 00 01.
    expect(bytesAt(device, 1, 0x7ffdd, 6)).toEqual([0x05, 0x88, 0x01, 0x88, 0x00, 0x01]);
    const rest = total - 524_237;
    expect(bytesAt(device, 1025, 9, 1 + varint(rest).length)).toEqual([0x03, ...varint(rest)]);
    // Sector 0: header (size 1), UUID, label, link to ext@1, END_OF_LOG.
    expect(bytesAt(device, 0, 0, 33)).toEqual([0x4e, 0x56, 0x4d, 0x54, 0x46, 0x53, 5, 1, ...identity.uuid, 0x6c, 0x62, 0x6c, 0, 0x05, 0x01, 0x88, 0x00, 0x01]);
    const log = readLog(device);
    expect(log.extensions.map((e) => e.start)).toEqual([0, 1, 1025]);
    expect([...log.root.getTuple("children")!.keys()][0]!.name.length).toBe(532_400);
  });

  it("a chunk starts only when used + 74 < size: otherwise the log is extended first", () => {
    const device = new MemoryBlockDevice(8192);
    const writer = LogWriter.create(device, identity, 1, () => 1025);
    // A first record sized so that exactly 74 bytes of ext@1 remain after it: the next must move.
    const size = EXTENSION_SECTORS * SECTOR_SIZE;
    const target = size - 9 - 7 - 74; // header, frame header (02 + two 3-byte varints)
    const padded = (n: number): Uint8Array => new TupleCodec().encodeTuple(Tuple.from({ children: {}, pad: "x".repeat(n) }));
    const fitted = padded(target - (padded(target).length - target));
    const codec = new TupleCodec();
    codec.decode(fitted);
    const root = codec.root!;
    writer.commit([fitted, codec.encodeEav(root, "k", "v")]);
    const used = 9 + 7 + fitted.length;
    expect(size - used).toBe(74);
    // Not "02 …" at `used`: a link, then the record at ext@1025+9.
    expect(bytesAt(device, 1, used, 1)).toEqual([0x05]);
    expect(bytesAt(device, 1025, 9, 1)).toEqual([0x02]);
    expect(readLog(device).root.get("k")).toBe("v");
  });
});

describe("LogWriter when the log cannot grow", () => {
  it("a commit that needs an extension it cannot get changes nothing, and a retry works", () => {
    const device = new MemoryBlockDevice(4096);
    let room = false;
    const writer = LogWriter.create(device, identity, 1, () => {
      if (!room) throw new RangeError("no room");
      return 1025;
    });
    const codec = new TupleCodec();
    const root = Tuple.from({ children: {} });
    writer.commit([codec.encodeTuple(root)]);
    // The records stay pending (as Tfs keeps them) and are committed again, in order.
    const pending = [codec.encodeEav(root, "big", "x".repeat(600_000)), codec.encodeEav(root, "small", "y")];
    expect(() => writer.commit(pending)).toThrow("no room");
    expect(readLog(device).extensions.map((e) => e.start)).toEqual([0, 1]);
    room = true;
    writer.commit(pending);
    writer.commit([codec.encodeEav(root, "small", "z")]); // a back-reference to "small"
    const log = readLog(device);
    expect(log.extensions.map((e) => e.start)).toEqual([0, 1, 1025]);
    expect(log.root.get("small")).toBe("z");
    expect(log.root.getString("big")?.length).toBe(600_000);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    out.unshift(n & 0x7f);
    n = Math.floor(n / 128);
  } while (n > 0);
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return out;
}
