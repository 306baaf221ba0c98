import { LABEL_MAX_BYTES, TFS_MAGIC, UUID_LENGTH } from "./constants.js";
import { TfsError } from "./tfs-error.js";
import { pushVarint, readVarint } from "./varint.js";

/** The versions this package reads. */
export type TfsVersion = 4 | 5;

/** The header at the start of a log extension. */
export interface ExtensionHeader {
  version: TfsVersion;
  /** The extension's own size field, in sectors (written, not trusted). */
  sectors: number;
  /** Only in the extension at sector 0. */
  uuid?: Uint8Array;
  /** Only in the extension at sector 0. */
  label?: string;
  /** Where the first frame starts. */
  frames: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Encoder = new TextEncoder();

/** Parses an extension header; `first` is true for the extension at sector 0. */
export function parseExtensionHeader(bytes: Uint8Array, first: boolean, sector: number): ExtensionHeader {
  for (let i = 0; i < TFS_MAGIC.length; i++) {
    if (bytes[i] !== TFS_MAGIC[i]) throw new TfsError("not a TFS image: bad magic", { sector, offset: 0 });
  }
  const version = readVarint(bytes, TFS_MAGIC.length, bytes.length);
  if (typeof version === "string") throw new TfsError(`bad version field: ${version}`, { sector, offset: 6 });
  if (version.value !== 4 && version.value !== 5) {
    throw new TfsError(`unsupported TFS version ${version.value} (only 4 and 5 can be read)`, { sector, offset: 6 });
  }
  const size = readVarint(bytes, version.next, bytes.length);
  if (typeof size === "string") throw new TfsError(`bad extension size field: ${size}`, { sector, offset: version.next });
  const header: ExtensionHeader = { version: version.value, sectors: size.value, frames: size.next };
  if (first) {
    if (size.next + UUID_LENGTH >= bytes.length) throw new TfsError("header truncated in the UUID", { sector, offset: size.next });
    header.uuid = bytes.slice(size.next, size.next + UUID_LENGTH);
    const labelStart = size.next + UUID_LENGTH;
    const nul = bytes.indexOf(0, labelStart);
    if (nul < 0 || nul - labelStart > LABEL_MAX_BYTES) throw new TfsError("label is not NUL-terminated within 32 bytes", { sector, offset: labelStart });
    header.label = utf8.decode(bytes.subarray(labelStart, nul));
    header.frames = nul + 1;
  }
  return header;
}

/** Encodes an extension header (version 5); UUID and label only for the one at sector 0. */
export function encodeExtensionHeader(sectors: number, first?: { uuid: Uint8Array; label: string }): number[] {
  const out = [...TFS_MAGIC];
  pushVarint(out, 5);
  pushVarint(out, sectors);
  if (first !== undefined) {
    out.push(...first.uuid);
    out.push(...labelBytes(first.label), 0);
  }
  return out;
}

/** The label's bytes; throws when it is longer than TFS allows (31 bytes). */
export function labelBytes(label: string): Uint8Array {
  const bytes = utf8Encoder.encode(label);
  if (bytes.length > LABEL_MAX_BYTES) throw new RangeError(`label '${label}' too long (at most ${LABEL_MAX_BYTES} bytes)`);
  if (bytes.includes(0)) throw new RangeError("label must not contain NUL");
  return bytes;
}

/** A UUID printed as Nanos prints it: 4-2-2-2-6 bytes of lowercase hex in byte order. */
export function formatUuid(uuid: Uint8Array): string {
  const hex = [...uuid].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
