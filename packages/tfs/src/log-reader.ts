import { Tuple, TupleCodec, TupleError } from "@nanots/tuple";
import type { BlockDevice } from "./block-device.js";
import { Frame, MAX_EXTENT_SECTORS, SECTOR_SIZE } from "./constants.js";
import { parseExtensionHeader, type TfsVersion } from "./log-header.js";
import { TfsError } from "./tfs-error.js";
import { readVarint } from "./varint.js";

/** One log extension of the chain. */
export interface LogExtension {
  /** First sector (filesystem-relative). */
  start: number;
  /** Length in sectors (1 for sector 0, else what the link said). */
  sectors: number;
  /** Header version: how its records are encoded. */
  version: TfsVersion;
}

/** Everything a mount learns from the log. */
export interface LogContents {
  /** Version of the extension at sector 0. */
  version: TfsVersion;
  uuid: Uint8Array;
  label: string;
  /** The chain, from sector 0. */
  extensions: LogExtension[];
  /** The dictionary and counters, ready to append with. */
  codec: TupleCodec;
  /** Dictionary entry 1. */
  root: Tuple;
  /** The last extension's bytes and where its END_OF_LOG byte is. */
  tail: { bytes: Uint8Array; end: number };
  /** Number of records decoded. */
  records: number;
}

/** Largest record the reader will assemble (far beyond anything Nanos writes). */
const MAX_RECORD_BYTES = 1 << 30;
/** Longest log chain the reader will follow, in sectors (1 GiB; Nanos logs are a few MiB). */
const MAX_LOG_SECTORS = 1 << 21;

/**
 * Reads the log chain from sector 0 of `device`: follows links (v4, v5 and mixed chains),
 * reassembles records split across extensions, skips END_OF_SEGMENT, ignores bytes after
 * END_OF_LOG, and replays every record into one dictionary.
 *
 * @throws {@link TfsError} naming the extension and byte where the log is broken.
 */
export function readLog(device: BlockDevice): LogContents {
  if (device.sectorCount < 1) throw new TfsError("not a TFS image: device is empty");
  const codec = new TupleCodec();
  const extensions: LogExtension[] = [];
  const visited = new Set<number>();
  let first: { version: TfsVersion; uuid: Uint8Array; label: string } | undefined;
  let pending: { total: number; chunks: Uint8Array[]; have: number; sector: number; offset: number } | undefined;
  let records = 0;
  let start = 0;
  let sectors = 1;
  let logSectors = 0;

  for (;;) {
    visited.add(start);
    logSectors += sectors;
    if (logSectors > MAX_LOG_SECTORS) throw new TfsError(`the log chain is longer than ${MAX_LOG_SECTORS} sectors`, { sector: start });
    const bytes = new Uint8Array(sectors * SECTOR_SIZE);
    device.read(start, bytes);
    const header = parseExtensionHeader(bytes, start === 0 && first === undefined, start);
    if (first === undefined) first = { version: header.version, uuid: header.uuid!, label: header.label! };
    const extension: LogExtension = { start, sectors, version: header.version };
    extensions.push(extension);
    const fail = (message: string, offset: number): never => {
      throw new TfsError(message, { sector: start, offset });
    };
    const varint = (at: number, what: string): { value: number; next: number } => {
      const r = readVarint(bytes, at, bytes.length);
      return typeof r === "string" ? fail(`${what}: ${r}`, at) : r;
    };
    const decode = (record: Uint8Array, offset: number): void => {
      try {
        codec.decode(record, 0, header.version);
      } catch (e) {
        if (e instanceof TupleError) fail(`bad record: ${e.message}`, offset + (e.position.offset ?? 0));
        throw e;
      }
      records++;
    };

    let pos = header.frames;
    let next: { start: number; sectors: number } | undefined;
    for (;;) {
      if (pos >= bytes.length) fail("log extension ends without END_OF_LOG or a link", pos);
      const type = bytes[pos]!;
      if (type === Frame.EndOfLog) break;
      if (type === Frame.EndOfSegment) {
        pos++;
      } else if (type === Frame.TupleAvailable) {
        if (pending !== undefined) fail("new record while the previous one is incomplete", pos);
        const total = varint(pos + 1, "record length");
        const here = varint(total.next, "record fragment length");
        if (total.value > MAX_RECORD_BYTES) fail(`absurd record length ${total.value}`, pos);
        if (here.value > total.value) fail(`record fragment of ${here.value} bytes exceeds its record (${total.value})`, pos);
        // As Nanos: the fragment must leave at least one byte (a frame) after it.
        if (here.value + 1 > bytes.length - here.next) fail(`record fragment of ${here.value} bytes runs past the extension`, pos);
        const chunk = bytes.subarray(here.next, here.next + here.value);
        if (here.value === total.value) decode(chunk, here.next);
        else pending = { total: total.value, chunks: [chunk], have: here.value, sector: start, offset: here.next };
        pos = here.next + here.value;
      } else if (type === Frame.TupleExtended) {
        const n = varint(pos + 1, "continuation length");
        if (pending === undefined) fail("record continuation without a record", pos);
        if (n.value > bytes.length - n.next) fail(`record continuation of ${n.value} bytes runs past the extension`, pos);
        const p = pending!;
        if (p.have + n.value > p.total) fail(`record continuation overruns its record (${p.total} bytes)`, pos);
        p.chunks.push(bytes.subarray(n.next, n.next + n.value));
        p.have += n.value;
        if (p.have === p.total) {
          pending = undefined;
          decode(concat(p.chunks, p.total), n.next);
        }
        pos = n.next + n.value;
      } else if (type === Frame.LogExtensionLink) {
        const linkStart = varint(pos + 1, "link sector");
        const linkSectors = varint(linkStart.next, "link length");
        next = { start: linkStart.value, sectors: linkSectors.value };
        if (next.sectors === 0) fail("link to an extension of 0 sectors", pos);
        if (next.sectors > MAX_EXTENT_SECTORS) fail(`link to an absurdly long extension (${next.sectors} sectors)`, pos);
        if (next.start === 0 || next.start + next.sectors > device.sectorCount) {
          fail(`link to sectors [${next.start}, ${next.start + next.sectors}) outside the filesystem (${device.sectorCount} sectors)`, pos);
        }
        if (visited.has(next.start)) fail(`link back to the extension at sector ${next.start}: the chain has a cycle`, pos);
        break;
      } else {
        fail(`unknown frame type 0x${type.toString(16).padStart(2, "0")}`, pos);
      }
    }
    if (next === undefined) {
      if (pending !== undefined) fail(`log ends inside a record of ${pending.total} bytes`, pos);
      const root = codec.root;
      if (!(root instanceof Tuple)) throw new TfsError("the log holds no root tuple");
      if (!(root.get("children") instanceof Tuple)) throw new TfsError("the root tuple has no children tuple");
      return { ...first, extensions, codec, root, tail: { bytes, end: pos }, records };
    }
    start = next.start;
    sectors = next.sectors;
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
