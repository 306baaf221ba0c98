import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ElfError } from "./elf-error.js";
import { PAGE_SIZE } from "./address-limits.js";
import type { ElfImage } from "./elf-image.js";
import { guestBinaries } from "./guest-binaries.js";
import { planInterpreterLoad, planProgramLoad } from "./load-plan.js";
import { parseElf } from "./parse-elf.js";
import { makeElf } from "./test-elf.js";

/** Parses and plans; returns the image, or the ElfError. Any other exception fails the property. */
function attempt(bytes: Uint8Array): ElfImage | ElfError {
  try {
    const image = parseElf(bytes);
    planProgramLoad(image, 0x123456);
    if (image.pie) planInterpreterLoad(image, 0x7f0000000000);
    return image;
  } catch (e) {
    if (e instanceof ElfError) return e;
    throw e;
  }
}

/** What every accepted image must satisfy, whatever bytes it came from. */
function checkInvariants(image: ElfImage, size: number): void {
  expect(image.segments.length).toBeGreaterThan(0);
  for (const [i, s] of image.segments.entries()) {
    expect(s.offset + s.filesz).toBeLessThanOrEqual(size);
    expect(s.filesz).toBeLessThanOrEqual(s.memsz);
    expect(s.vaddr + s.memsz).toBeLessThanOrEqual(2 ** 47);
    const next = image.segments[i + 1];
    if (next) expect(s.vaddr + s.memsz).toBeLessThanOrEqual(next.vaddr);
  }
  expect(image.phoff + image.phnum * image.phent).toBeLessThanOrEqual(size);
  expect(image.loadStart % PAGE_SIZE).toBe(0);
  expect(image.segments.some((s) => image.entry >= s.vaddr && image.entry < s.vaddr + s.memsz)).toBe(true);
  if (image.interpreter !== undefined) expect(image.interpreter).not.toContain("\0");
}

const binaries = guestBinaries().filter((b) => ["musl/hello", "musl/floats", "glibc/hello", "glibc-dynamic/hello"].includes(b.name));
// Mutations land where the loader looks: the file header, the program headers and PT_INTERP.
const headerZone = (b: Uint8Array): number => Math.min(b.length, 1024);

describe("parseElf never throws anything but ElfError", () => {
  it("on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const r = attempt(bytes);
        if (!(r instanceof ElfError)) checkInvariants(r, bytes.length);
      }),
    );
  });

  it("on random bytes behind a valid ELF identification", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 1024 }), (tail) => {
        const bytes = new Uint8Array(tail);
        bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
        bytes[18] = 62;
        bytes[19] = 0;
        const r = attempt(bytes);
        if (!(r instanceof ElfError)) checkInvariants(r, bytes.length);
      }),
    );
  });

  it("on real guest binaries with mutated header bytes", () => {
    const mutation = fc.record({
      which: fc.nat({ max: binaries.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(mutation, ({ which, edits }) => {
        const bytes = binaries[which]!.bytes.slice();
        for (const [at, value] of edits) bytes[at % headerZone(bytes)] = value;
        const r = attempt(bytes);
        if (!(r instanceof ElfError)) checkInvariants(r, bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it("on real guest binaries with random 64-bit fields in the program headers", () => {
    const mutation = fc.record({
      which: fc.nat({ max: binaries.length - 1 }),
      header: fc.nat({ max: 15 }),
      field: fc.constantFrom(8, 16, 32, 40, 48),
      value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    });
    fc.assert(
      fc.property(mutation, ({ which, header, field, value }) => {
        const bytes = binaries[which]!.bytes.slice();
        const view = new DataView(bytes.buffer);
        const at = 64 + (header % view.getUint16(56, true)) * 56 + field;
        view.setBigUint64(at, value, true);
        const r = attempt(bytes);
        if (!(r instanceof ElfError)) checkInvariants(r, bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it("on real guest binaries truncated anywhere", () => {
    fc.assert(
      fc.property(fc.nat({ max: binaries.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (which, fraction) => {
        const whole = binaries[which]!.bytes;
        const bytes = whole.subarray(0, Math.floor(whole.length * fraction));
        const r = attempt(bytes);
        if (!(r instanceof ElfError)) checkInvariants(r, bytes.length);
      }),
      { numRuns: 100 },
    );
  });

  it("on synthetic ELFs with plausible and wild program headers", () => {
    const wild = fc.record({
      type: fc.constantFrom(1, 3, 6, 7, 0x6474e551, 0, 99),
      flags: fc.nat({ max: 7 }),
      offset: fc.oneof(fc.nat({ max: 0x3000 }), fc.constant(2 ** 52)),
      vaddr: fc.oneof(fc.nat({ max: 0x500000 }), fc.constant(2 ** 47 - 0x1000)),
      filesz: fc.nat({ max: 0x3000 }),
      memsz: fc.nat({ max: 0x6000 }),
      align: fc.constantFrom(0, 1, 3, 0x1000, 0x200000),
    });
    // Loadable segments: the in-page offsets of file and address agree, bytes inside the file.
    const plausible = fc
      .record({ page: fc.nat({ max: 0x40 }), offset: fc.nat({ max: 0x1000 }), filesz: fc.nat({ max: 0x1000 }), bss: fc.nat({ max: 0x3000 }), flags: fc.nat({ max: 7 }) })
      .map(({ page, offset, filesz, bss, flags }) => ({
        type: 1,
        flags,
        offset,
        vaddr: 0x400000 + page * 0x1000 + (offset % 0x1000),
        filesz,
        memsz: filesz + bss,
        align: 0x1000,
      }));
    const phdrs = fc.array(fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: wild, weight: 1 }), { minLength: 1, maxLength: 4 });
    let accepted = 0;
    fc.assert(
      fc.property(phdrs, fc.nat(), fc.constantFrom(2, 3), (list, entrySeed, type) => {
        // Usually inside the first segment, so that other checks get their turn.
        const first = list[0]!;
        const entry = first.vaddr + (entrySeed % Math.max(1, first.memsz + 16));
        const bytes = makeElf({ phdrs: list, entry, type });
        const r = attempt(bytes);
        if (!(r instanceof ElfError)) {
          accepted++;
          checkInvariants(r, bytes.length);
        }
      }),
      { numRuns: 500 },
    );
    // The generator must exercise the success path too, not only rejections.
    expect(accepted).toBeGreaterThan(10);
  });
});
