// Places an ELF image's segments in an address space as file-backed vmaps, per a LoadPlan.
import type { LoadPlan, SegmentMapping } from "../elf/load-plan.js";
import type { AddressSpace } from "../mm/address-space.js";
import { Prot, type PageSource } from "../mm/vmap.js";

/** Page contents of one segment: file bytes up to its file size, zeros after. */
function segmentSource(file: Uint8Array, m: SegmentMapping): PageSource {
  return {
    fill(offset: number, dst: Uint8Array): void {
      // `offset` counts from the segment mapping's start.
      const end = Math.min(dst.length, m.fileSize - offset);
      if (end <= 0) return;
      const from = m.fileOffset + offset;
      dst.set(file.subarray(from, Math.min(from + end, file.length)));
    },
  };
}

/** Maps every segment of `plan` (from `file`) into `space`, named `name` in /proc/self/maps. */
export function loadSegments(space: AddressSpace, file: Uint8Array, plan: LoadPlan, name: string): void {
  for (const m of plan.mappings) {
    const prot = (m.prot.read ? Prot.Read : 0) | (m.prot.write ? Prot.Write : 0) | (m.prot.execute ? Prot.Exec : 0);
    space.map(m.start, m.end, prot, { name, source: segmentSource(file, m), sourceOffset: 0 });
  }
}
