// The dynamic section's library dependencies (DT_NEEDED, DT_RUNPATH, DT_RPATH): what `ldd`
// starts from to find a dynamic program's shared libraries.
import { ElfError } from "./elf-error.js";
import type { ElfImage } from "./elf-image.js";

const PT_DYNAMIC = 2;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

/** Libraries a dynamic ELF asks for, and where it says to look. */
export interface DynamicNeeds {
  /** DT_NEEDED names in order (`libc.so.6`). */
  needed: string[];
  /** DT_RUNPATH (or DT_RPATH) directories, `$ORIGIN` not expanded. */
  runpath: string[];
}

/** Reads the DT_NEEDED and run-path entries of an ELF file already checked by `parseElf`. */
export function dynamicNeeds(bytes: Uint8Array, image: ElfImage): DynamicNeeds {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (at: number): number => {
    if (at + 8 > bytes.length) throw new ElfError("truncated", `the dynamic section runs past the end of the file at byte ${at}`, at);
    return Number(view.getBigUint64(at, true));
  };
  let dynamicOffset = -1;
  let dynamicSize = 0;
  for (let k = 0; k < image.phnum; k++) {
    const at = image.phoff + k * image.phent;
    if (view.getUint32(at, true) === PT_DYNAMIC) {
      dynamicOffset = u64(at + 8);
      dynamicSize = u64(at + 32);
    }
  }
  if (dynamicOffset < 0) return { needed: [], runpath: [] };
  const entries: Array<[number, number]> = [];
  for (let at = dynamicOffset; at + 16 <= dynamicOffset + dynamicSize; at += 16) {
    const tag = u64(at);
    if (tag === DT_NULL) break;
    entries.push([tag, u64(at + 8)]);
  }
  const strtab = entries.find(([t]) => t === DT_STRTAB)?.[1];
  if (strtab === undefined) return { needed: [], runpath: [] };
  // DT_STRTAB is an address: find the file offset through the segment that maps it.
  const segment = image.segments.find((s) => strtab >= s.vaddr && strtab < s.vaddr + s.filesz);
  if (segment === undefined) throw new ElfError("malformed", `DT_STRTAB 0x${strtab.toString(16)} is not inside a loaded segment`);
  const base = segment.offset + (strtab - segment.vaddr);
  const text = new TextDecoder();
  const string = (offset: number): string => {
    const start = base + offset;
    let end = start;
    while (end < bytes.length && bytes[end] !== 0) end++;
    if (end >= bytes.length) throw new ElfError("malformed", `a dynamic string at byte ${start} is not terminated`, start);
    return text.decode(bytes.subarray(start, end));
  };
  const needed = entries.filter(([t]) => t === DT_NEEDED).map(([, v]) => string(v));
  const path = entries.find(([t]) => t === DT_RUNPATH) ?? entries.find(([t]) => t === DT_RPATH);
  return { needed, runpath: path === undefined ? [] : string(path[1]).split(":").filter((p) => p.length > 0) };
}
