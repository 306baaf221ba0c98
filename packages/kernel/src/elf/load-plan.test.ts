import { describe, expect, it } from "vitest";
import { ElfError } from "./elf-error.js";
import { ET_DYN, PF_R, PF_W, PF_X, PT_LOAD } from "./elf-constants.js";
import { guestBinaries } from "./guest-binaries.js";
import { PIE_BASE, PROGRAM_LOAD_LIMIT, planInterpreterLoad, planLoad, planProgramLoad, type LoadPlan } from "./load-plan.js";
import { parseElf } from "./parse-elf.js";
import { makeElf } from "./test-elf.js";

const binaries = guestBinaries();
const binary = (name: string) => binaries.find((b) => b.name === name)!.bytes;

/** Carries out a plan in a flat memory covering [plan.start, plan.end), as a memory manager would. */
function materialise(plan: LoadPlan, file: Uint8Array): Uint8Array {
  const memory = new Uint8Array(plan.end - plan.start).fill(0xcc); // 0xcc: never written
  for (const m of plan.mappings) {
    memory.fill(0, m.start - plan.start, m.end - plan.start);
    memory.set(file.subarray(m.fileOffset, m.fileOffset + m.fileSize), m.start - plan.start);
  }
  return memory;
}

describe("planLoad maps every segment as the ELF specification says", () => {
  for (const bin of binaries) {
    it(`${bin.name}: file bytes at p_vaddr, zeros up to p_memsz, page-aligned mappings`, () => {
      const image = parseElf(bin.bytes);
      const plan = planProgramLoad(image, 0x2345);
      const memory = materialise(plan, bin.bytes);
      for (const s of image.segments) {
        const at = s.vaddr + plan.bias - plan.start;
        // Buffer.compare: vitest's deep equality is far too slow for megabytes.
        const fromFile = Buffer.from(bin.bytes.buffer, bin.bytes.byteOffset + s.offset, s.filesz);
        expect(Buffer.compare(Buffer.from(memory.buffer, at, s.filesz), fromFile)).toBe(0);
        expect(memory.subarray(at + s.filesz, at + s.memsz).every((b) => b === 0)).toBe(true);
      }
      for (const m of plan.mappings) {
        expect(m.start % 4096).toBe(0);
        expect(m.end % 4096).toBe(0);
        expect(m.fileOffset % 4096).toBe(0);
        expect(m.fileSize).toBeLessThanOrEqual(m.end - m.start);
      }
      expect(plan.mappings.map((m) => m.prot)).toEqual(image.segments.map((s) => s.prot));
    });
  }

  it("zeroes the tail of the last file page past p_filesz even when the file has bytes there", () => {
    const bytes = makeElf({
      entry: 0x400100,
      phdrs: [
        { type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0x400000, filesz: 0x1000, memsz: 0x1000 },
        { type: PT_LOAD, flags: PF_R | PF_W, offset: 0x1000, vaddr: 0x601000, filesz: 0x10, memsz: 0x2000 },
      ],
    });
    bytes.fill(0xab, 0x1000, 0x2000);
    const plan = planProgramLoad(parseElf(bytes));
    expect(plan.mappings[1]).toEqual({ start: 0x601000, end: 0x603000, fileOffset: 0x1000, fileSize: 0x10, prot: { read: true, write: true, execute: false } });
    const memory = materialise(plan, bytes);
    expect(memory[0x601000 - plan.start + 0x0f]).toBe(0xab);
    expect(memory[0x601000 - plan.start + 0x10]).toBe(0);
  });
});

describe("load bias rules", () => {
  it("a fixed-address program loads at its own addresses whatever the ASLR offset", () => {
    const image = parseElf(binary("glibc/hello"));
    const plan = planProgramLoad(image, 0x3fffff);
    expect(plan.bias).toBe(0);
    expect(plan.entry).toBe(image.entry);
    expect(plan.phdrAddress).toBe(image.phdrAddress);
    expect(plan.start).toBe(0x400000);
  });

  it("a PIE goes to 0x400000 plus the page-rounded ASLR offset (Nanos's DEFAULT_PROG_ADDR)", () => {
    const image = parseElf(binary("glibc-dynamic/hello"));
    expect(planProgramLoad(image).bias).toBe(PIE_BASE);
    const plan = planProgramLoad(image, 0x12345);
    expect(plan.bias).toBe(0x412000);
    expect(plan.entry).toBe(0x412000 + image.entry);
    expect(plan.phdrAddress).toBe(0x412000 + 0x40);
    expect(plan.start).toBe(0x412000);
    expect(planProgramLoad(image, 4 * 1024 * 1024 + 0x3000).bias).toBe(0x403000);
  });

  it("a PIE linked above 0 keeps its own offset from the PIE base, as Nanos adds its load offset", () => {
    const image = parseElf(
      makeElf({ type: ET_DYN, entry: 0x10100, phdrs: [{ type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0x10000, filesz: 0x1000, memsz: 0x1000 }] }),
    );
    const plan = planProgramLoad(image, 0x2000);
    expect(plan.bias).toBe(0x402000);
    expect(plan.start).toBe(0x412000);
    expect(plan.entry).toBe(0x412100);
  });

  it("the interpreter goes where the memory manager reserved room; its first page is AT_BASE", () => {
    const image = parseElf(binary("glibc-dynamic/hello"));
    const plan = planInterpreterLoad(image, 0x7f12_3456_0000);
    expect(plan.start).toBe(0x7f12_3456_0000);
    expect(plan.entry).toBe(0x7f12_3456_0000 + image.entry);
    expect(() => planInterpreterLoad(parseElf(binary("musl/hello")), 0x7f0000000000)).toThrow(/must be ET_DYN/);
    expect(() => planInterpreterLoad(image, 0x7f0000000010)).toThrow(/not a page-aligned/);
  });

  it("refuses to move a fixed-address program, odd biases, and loads past the limit", () => {
    const exec = parseElf(binary("musl/hello"));
    const error = (f: () => unknown): ElfError => {
      try {
        f();
      } catch (e) {
        if (e instanceof ElfError) return e;
      }
      throw new Error("no ElfError");
    };
    expect(error(() => planLoad(exec, 0x1000)).message).toMatch(/cannot be moved: load bias must be 0, not 0x1000/);
    expect(error(() => planLoad(exec, -4096)).kind).toBe("placement");
    expect(error(() => planLoad(exec, 0.5)).kind).toBe("placement");
    const high = parseElf(
      makeElf({ entry: 0xc0000000, phdrs: [{ type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0xbffff000, filesz: 0x2000, memsz: 0x2000 }] }),
    );
    expect(error(() => planProgramLoad(high)).message).toMatch(/end above the load limit 0xc0000000/);
    expect(planLoad(high, 0).end).toBe(0xc0001000);
    const bigPie = parseElf(
      makeElf({ type: ET_DYN, entry: 0x10, phdrs: [{ type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0, filesz: 0x2000, memsz: PROGRAM_LOAD_LIMIT - PIE_BASE }] }),
    );
    expect(planProgramLoad(bigPie).end).toBe(PROGRAM_LOAD_LIMIT);
    expect(error(() => planProgramLoad(bigPie, 0x1000)).kind).toBe("placement");
  });
});

describe("differs from Nanos on purpose", () => {
  it("AT_PHDR is where the program headers are mapped, not e_phoff + lowest address", () => {
    // The headers (file offset 0x40) live in the second segment, mapped at 0x500000. Nanos
    // reports e_phoff + lowest p_vaddr = 0x401040, which points into the text segment.
    const image = parseElf(
      makeElf({
        entry: 0x401000,
        phdrs: [
          { type: PT_LOAD, flags: PF_R | PF_X, offset: 0x1000, vaddr: 0x401000, filesz: 0x1000, memsz: 0x1000 },
          { type: PT_LOAD, flags: PF_R, offset: 0, vaddr: 0x500000, filesz: 0x1000, memsz: 0x1000 },
        ],
      }),
    );
    expect(planProgramLoad(image).phdrAddress).toBe(0x500040);
  });

  it("p_filesz > p_memsz is an ElfError, where Nanos halts the kernel", () => {
    expect(() => parseElf(makeElf({ phdrs: [{ type: PT_LOAD, offset: 0, vaddr: 0x401000, filesz: 0x2000, memsz: 0x1000 }] }))).toThrow(ElfError);
  });
});
