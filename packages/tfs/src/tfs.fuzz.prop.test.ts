import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumpMetadata, dumpTree } from "./dump.js";
import { FsError } from "./fs-error.js";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { Tuple, TupleCodec } from "@nanots/tuple";
import { readLog } from "./log-reader.js";
import { LogWriter } from "./log-writer.js";
import { Tfs } from "./tfs.js";
import { TfsError } from "./tfs-error.js";
import { fixtureImage } from "./testing/fixtures.js";
import { walk } from "./testing/tree-listing.js";

const small = fixtureImage("small");
const smallEnd = 512 + readLog(MemoryBlockDevice.from(small)).tail.end;
const v4 = fixtureImage("v4");
const many = fixtureImage("many");

/** Mounts and reads everything; returns "ok" or the TfsError message. Anything else fails the test. */
function exercise(image: Uint8Array): string {
  try {
    const fs = Tfs.mount(MemoryBlockDevice.from(image), { readOnly: true });
    dumpMetadata(fs);
    dumpTree(fs);
    let paths: string[];
    try {
      paths = walk(fs);
    } catch (e) {
      // Names that are not UTF-8 cannot be spelled as a path string: an FsError, not a crash.
      if (e instanceof FsError) return "ok";
      throw e;
    }
    for (const p of paths) {
      try {
        if (fs.lstat(p).isFile()) fs.readFile(p);
      } catch (e) {
        if (!(e instanceof FsError || e instanceof TfsError)) throw e;
      }
    }
    // Whatever mounts must also take changes, and the result must mount again.
    const device = MemoryBlockDevice.from(image);
    const writable = Tfs.mount(device);
    for (const change of [
      () => writable.writeFile("/fuzz-new", "new"),
      () => writable.writeFile(paths[paths.length - 1]!, "overwritten"),
      () => writable.truncate(paths[1] ?? "/", 3),
      () => writable.unlink(paths[2] ?? "/"),
    ]) {
      try {
        change();
      } catch (e) {
        if (!(e instanceof FsError || e instanceof TfsError)) throw e;
      }
    }
    writable.sync();
    walk(Tfs.mount(device));
    return "ok";
  } catch (e) {
    if (e instanceof TfsError) return e.message;
    throw e;
  }
}

function patched(image: Uint8Array, at: number, bytes: number[]): Uint8Array {
  const copy = image.slice();
  copy.set(bytes, at);
  return copy;
}

describe("damaged images give a TfsError naming the problem, never a crash or hang", () => {
  it("random bit flips in the log", () => {
    fc.assert(
      fc.property(fc.constantFrom(small, v4), fc.array(fc.tuple(fc.nat(512 + 0x400), fc.nat(7)), { minLength: 1, maxLength: 6 }), (image, flips) => {
        const copy = image.slice();
        for (const [at, bit] of flips) copy[at] = copy[at]! ^ (1 << bit);
        expect(typeof exercise(copy)).toBe("string");
      }),
      { numRuns: 500 },
    );
  });

  it("random bit flips around a record split across two extensions (fixture many)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.integer({ min: 512 + 0x7ffd0, max: 512 + 0x80000 }), fc.integer({ min: 1025 * 512, max: 1025 * 512 + 40 })), fc.nat(7)), {
          minLength: 1,
          maxLength: 3,
        }),
        (flips) => {
          const copy = many.slice();
          for (const [at, bit] of flips) copy[at] = copy[at]! ^ (1 << bit);
          expect(typeof exercise(copy)).toBe("string");
        },
      ),
      { numRuns: 40 },
    );
  });

  it("random bytes written over the log", () => {
    fc.assert(
      fc.property(fc.nat(0x300), fc.uint8Array({ minLength: 1, maxLength: 40 }), (at, bytes) => {
        expect(typeof exercise(patched(small, 512 + 9 + at, [...bytes]))).toBe("string");
      }),
      { numRuns: 500 },
    );
  });

  it("truncated images", () => {
    fc.assert(
      fc.property(fc.nat(small.length), (length) => {
        const result = exercise(small.subarray(0, length));
        if (length < 1024) expect(result).not.toBe("ok");
      }),
      { numRuns: 100 },
    );
  });

  const cases: Array<[string, Uint8Array, RegExp]> = [
    ["bad magic", patched(small, 0, [0x58]), /not a TFS image: bad magic/],
    ["unsupported version", patched(small, 6, [3]), /unsupported TFS version 3/],
    ["cycle in the extension chain", patched(small, smallEnd, [0x05, 0x01, 0x88, 0x00]), /cycle/],
    ["link to sector 0", patched(small, 0x19, [0x05, 0x00, 0x01]), /outside the filesystem|cycle/],
    ["link of absurd length", patched(small, 0x19, [0x05, 0x01, 0xff, 0xff, 0xff, 0x7f]), /absurdly long extension/],
    ["link past the device", patched(small, 0x19, [0x05, 0x9f, 0xff, 0xff, 0x7f, 0x01]), /outside the filesystem/],
    ["absurd record length", patched(small, 512 + 9, [0x02, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x01]), /absurd record length/],
    ["fragment longer than its record", patched(small, 512 + 9, [0x02, 0x01, 0x05]), /exceeds its record/],
    ["unknown frame type", patched(small, 512 + 9, [0x07]), /unknown frame type 0x07/],
    ["zeros instead of END_OF_LOG", patched(small, 512 + 9, [0x00]), /unknown frame type 0x00/],
    ["continuation without a record", patched(small, 512 + 9, [0x03, 0x01, 0x00]), /continuation without a record/],
    ["varint too large", patched(small, 512 + 9, [0x02, ...new Array<number>(12).fill(0xff), 0x01]), /varint too large/],
  ];
  it.each(cases)("%s", (_, image, message) => {
    expect(() => Tfs.mount(MemoryBlockDevice.from(image))).toThrow(TfsError);
    expect(exercise(image)).toMatch(message);
  });

  it("a root without children", () => {
    // Sector 0 links to an extension whose only record is the root tuple (x:y).
    const image = small.slice();
    image.set([0x02, 0x05, 0x05, 0x91, 0x81, 0x78, 0xc1, 0x79, 0x01], 512 + 9);
    expect(exercise(image)).toMatch(/root tuple has no children/);
  });

  it("overlapping extents, extents past the disk and directory cycles", () => {
    const build = (root: Tuple): MemoryBlockDevice => {
      const device = new MemoryBlockDevice(8192);
      LogWriter.create(device, { uuid: new Uint8Array(16), label: "" }, 1, () => 1025).commit([new TupleCodec().encodeTuple(root)]);
      return device;
    };
    const file = (offset: number, length: number): Record<string, unknown> => ({ extents: { 0: { offset, length, allocated: length } }, filelength: length * 512 });
    const overlap = Tuple.from({ children: { a: file(3000, 10), b: file(3005, 10) } as never });
    expect(() => Tfs.mount(build(overlap))).toThrow(/file \/[ab]: extent at sector 300[05] \(10 sectors\) overlaps the log or another file/);
    const onLog = Tuple.from({ children: { a: file(500, 10) } as never });
    expect(() => Tfs.mount(build(onLog))).toThrow(/overlaps the log/);
    const past = Tuple.from({ children: { a: file(8190, 10) } as never });
    expect(() => Tfs.mount(build(past))).toThrow(/outside the filesystem \(8192 sectors\)/);
    const cyclic = Tuple.from({ children: { d: { children: {} } } });
    const d = cyclic.getTuple("children")!.getTuple("d")!;
    d.getTuple("children")!.set("loop", d);
    expect(() => Tfs.mount(build(cyclic))).toThrow(/appears twice in the tree/);
  });

  it("a chain of links longer than 1 GiB is refused, not followed for ever", () => {
    // 40 extensions of 65,536 sectors on a sparse 2^32-sector device, each linking to the next.
    const device = new MemoryBlockDevice(2 ** 32);
    const zero = new Uint8Array(512);
    zero.set([0x4e, 0x56, 0x4d, 0x54, 0x46, 0x53, 5, 1, ...new Array<number>(16).fill(0), 0, 0x05, 0x01, 0x84, 0x80, 0x00, 0x01]);
    device.write(0, zero);
    for (let i = 0; i < 40; i++) {
      const sector = new Uint8Array(512);
      const next = 1 + (i + 1) * 65536;
      sector.set([0x4e, 0x56, 0x4d, 0x54, 0x46, 0x53, 5, 0x84, 0x80, 0x00, 0x05, ...bigVarint(next), 0x84, 0x80, 0x00, 0x01]);
      device.write(1 + i * 65536, sector);
    }
    expect(() => readLog(device)).toThrow(/the log chain is longer than 2097152 sectors/);
  });

  it("errors say where: extension sector and byte", () => {
    expect(exercise(patched(small, 512 + 9, [0x07]))).toBe("unknown frame type 0x07 (log extension at sector 1, byte 9)");
  });
});

function bigVarint(n: number): number[] {
  const out: number[] = [];
  do {
    out.unshift(n % 128);
    n = Math.floor(n / 128);
  } while (n > 0);
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return out;
}
