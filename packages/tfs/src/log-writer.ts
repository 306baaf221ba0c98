import type { BlockDevice } from "./block-device.js";
import { CHUNK_START_SLACK, EXTENSION_SECTORS, Frame, FRAME_HEADER_RESERVE, LINK_RESERVE, SECTOR_SIZE } from "./constants.js";
import { encodeExtensionHeader, type TfsVersion } from "./log-header.js";
import type { LogContents, LogExtension } from "./log-reader.js";
import { pushVarint } from "./varint.js";

interface OpenExtension extends LogExtension {
  bytes: Uint8Array;
}

/** Identity of the volume, repeated in sector 0 whenever it is rewritten. */
export interface VolumeIdentity {
  uuid: Uint8Array;
  label: string;
}

/**
 * Appends records to a TFS log as Nanos lays them out (TFS-FORMAT.md §4.4): chunks start only
 * when `used + 74 < size`, a chunk takes at most `size − used − 42` bytes, a full extension
 * gets a LINK to a fresh 1024-sector one, a record that did not fit continues there as
 * TUPLE_EXTENDED, and a version-4 extension is never appended to.
 *
 * Crash safety: a commit first writes everything *after* the current END_OF_LOG byte (new
 * records, links, new extensions), flushes, and only then turns that byte into END_OF_SEGMENT
 * (`04`, a frame every reader skips) with a one-sector write, and flushes again. Until that
 * single-sector write lands, every reader stops at the old END_OF_LOG; after it, the whole new
 * segment is there. A new chain (format, compaction) is committed by rewriting sector 0 last.
 */
export class LogWriter {
  readonly #device: BlockDevice;
  readonly #identity: VolumeIdentity;
  readonly #takeExtension: () => number;
  readonly #chain: OpenExtension[];
  #current: OpenExtension;
  /** Offset of the END_OF_LOG byte in the current extension. */
  #end: number;
  /** True once sector 0 links to this chain. */
  #linked: boolean;

  private constructor(device: BlockDevice, identity: VolumeIdentity, takeExtension: () => number, chain: OpenExtension[], end: number, linked: boolean) {
    this.#device = device;
    this.#identity = identity;
    this.#takeExtension = takeExtension;
    this.#chain = chain;
    this.#current = chain[chain.length - 1]!;
    this.#end = end;
    this.#linked = linked;
  }

  /** A writer that continues a log read from disk. */
  static resume(device: BlockDevice, log: LogContents, takeExtension: () => number): LogWriter {
    const chain: OpenExtension[] = log.extensions.map((e) => ({ ...e, bytes: new Uint8Array(0) }));
    chain[chain.length - 1]!.bytes = log.tail.bytes;
    return new LogWriter(device, { uuid: log.uuid, label: log.label }, takeExtension, chain, log.tail.end, true);
  }

  /**
   * A writer for a new chain whose first real extension is at `start`; nothing reaches the
   * device until {@link commit}, which writes the chain and then sector 0.
   */
  static create(device: BlockDevice, identity: VolumeIdentity, start: number, takeExtension: () => number): LogWriter {
    const first = newExtension(start);
    const end = first.bytes.indexOf(Frame.EndOfLog, encodeExtensionHeader(EXTENSION_SECTORS).length);
    return new LogWriter(device, identity, takeExtension, [sectorZeroPlaceholder(), first], end, false);
  }

  /** The chain: sector 0 and every extension, in order. */
  get extensions(): LogExtension[] {
    return this.#chain.map(({ start, sectors, version }) => ({ start, sectors, version }));
  }

  /** Where the next record would start: extension start sector and byte offset. */
  get position(): { sector: number; offset: number } {
    return { sector: this.#current.start, offset: this.#end };
  }

  /**
   * Appends the records (encoded tuples, in the order they were encoded) and makes them durable.
   * Does nothing when there are none and the chain is already on disk.
   */
  commit(records: readonly Uint8Array[]): void {
    if (records.length === 0 && this.#linked) return;
    const touched = new Map<OpenExtension, number>(); // extension → first byte written
    const ends = new Map<OpenExtension, number>(); // closed extension → end of its link
    const oldEnd = this.#end;
    const oldTail = this.#current;
    // Appending to a live log leaves its END_OF_LOG in place until the very end.
    let cursor = this.#linked ? oldEnd + 1 : oldEnd;
    const touch = (e: OpenExtension, from: number): void => {
      if (!touched.has(e) || touched.get(e)! > from) touched.set(e, from);
    };
    touch(this.#current, this.#linked ? oldEnd : 0);

    const put = (bytes: ArrayLike<number>): void => {
      this.#current.bytes.set(bytes, cursor);
      cursor += bytes.length;
    };
    const extend = (): void => {
      const next = newExtension(this.#takeExtension());
      const link: number[] = [Frame.LogExtensionLink];
      pushVarint(link, next.start);
      pushVarint(link, next.sectors);
      link.push(Frame.EndOfLog);
      put(link);
      ends.set(this.#current, cursor);
      this.#chain.push(next);
      this.#current = next;
      touch(next, 0);
      cursor = encodeExtensionHeader(EXTENSION_SECTORS).length;
    };

    const chainLength = this.#chain.length;
    try {
      if (this.#current.version === 4 && records.length > 0) extend();
      for (const record of records) {
        let done = 0;
        while (done < record.length) {
          const size = this.#current.bytes.length;
          if (!(cursor + CHUNK_START_SLACK < size)) extend();
          const room = this.#current.bytes.length - cursor - LINK_RESERVE - FRAME_HEADER_RESERVE;
          const chunk = Math.min(record.length - done, room);
          const header: number[] = [];
          if (done === 0) {
            header.push(Frame.TupleAvailable);
            pushVarint(header, record.length);
            pushVarint(header, chunk);
          } else {
            header.push(Frame.TupleExtended);
            pushVarint(header, chunk);
          }
          put(header);
          put(record.subarray(done, done + chunk));
          done += chunk;
        }
      }
    } catch (e) {
      // No room for an extension: nothing was written; forget the layout (bytes laid out past
      // END_OF_LOG are garbage a reader never looks at).
      this.#chain.length = chainLength;
      this.#current = oldTail;
      oldTail.bytes[oldEnd] = Frame.EndOfLog;
      throw e;
    }
    this.#current.bytes[cursor] = Frame.EndOfLog;
    this.#end = cursor;

    for (const [e, from] of touched) {
      const to = e === this.#current ? cursor + 1 : ends.get(e)!;
      const first = Math.floor(from / SECTOR_SIZE);
      const last = Math.ceil(to / SECTOR_SIZE);
      if (e.start === 0 && !this.#linked) continue; // the placeholder: written below
      this.#device.write(e.start + first, e.bytes.subarray(first * SECTOR_SIZE, last * SECTOR_SIZE));
    }
    this.#device.flush();
    if (this.#linked) {
      // The commit point: one sector changes one byte, END_OF_LOG → END_OF_SEGMENT.
      oldTail.bytes[oldEnd] = Frame.EndOfSegment;
      const sector = Math.floor(oldEnd / SECTOR_SIZE);
      this.#device.write(oldTail.start + sector, oldTail.bytes.subarray(sector * SECTOR_SIZE, (sector + 1) * SECTOR_SIZE));
    } else {
      const first = this.#chain[1]!;
      const zero = sectorZero(this.#identity, first.start, first.sectors);
      this.#chain[0]!.bytes = zero;
      this.#device.write(0, zero);
      this.#linked = true;
    }
    this.#device.flush();
    // Only the tail's bytes are needed from now on.
    for (const e of this.#chain) if (e !== this.#current) e.bytes = new Uint8Array(0);
  }
}

function newExtension(start: number): OpenExtension {
  const bytes = new Uint8Array(EXTENSION_SECTORS * SECTOR_SIZE);
  const header = encodeExtensionHeader(EXTENSION_SECTORS);
  bytes.set(header);
  bytes[header.length] = Frame.EndOfLog;
  return { start, sectors: EXTENSION_SECTORS, version: 5 as TfsVersion, bytes };
}

function sectorZeroPlaceholder(): OpenExtension {
  return { start: 0, sectors: 1, version: 5, bytes: new Uint8Array(0) };
}

/** Sector 0: header (size 1, UUID, label), a LINK to the first extension, END_OF_LOG. */
export function sectorZero(identity: VolumeIdentity, start: number, sectors: number): Uint8Array {
  const bytes = encodeExtensionHeader(1, identity);
  bytes.push(Frame.LogExtensionLink);
  pushVarint(bytes, start);
  pushVarint(bytes, sectors);
  bytes.push(Frame.EndOfLog);
  const sector = new Uint8Array(SECTOR_SIZE);
  sector.set(bytes);
  return sector;
}
