// Test-only reader of the TFS log frames (TFS-FORMAT.md §4), just enough to pull the encoded
// records out of the fixture images. The real log reader belongs to @nanots/tfs.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { ByteReader } from "../src/byte-reader.js";
import type { LogVersion } from "../src/log-version.js";

export const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/tfs/", import.meta.url));

/** Reads a fixture file, gunzipping `name.gz` when only that exists. */
export function fixtureText(dir: string, name: string): string {
  try {
    return readFileSync(`${FIXTURES}${dir}/${name}`, "utf8");
  } catch {
    return gunzipSync(readFileSync(`${FIXTURES}${dir}/${name}.gz`)).toString("utf8");
  }
}

export interface LogRecord {
  bytes: Uint8Array;
  version: LogVersion;
}

const SECTOR = 512;

/** The records of the log that starts at byte 0 of a raw TFS image, in log order. */
export function logRecords(image: Uint8Array): LogRecord[] {
  const records: LogRecord[] = [];
  let pending: { parts: Uint8Array[]; have: number; total: number; version: LogVersion } | undefined;
  let start = 0;
  let sectors = 1;
  for (;;) {
    const r = new ByteReader(image, start * SECTOR, (start + sectors) * SECTOR);
    const magic = new TextDecoder().decode(r.take(6, "magic"));
    if (magic !== "NVMTFS") throw new Error(`no log extension at sector ${start}`);
    const version = r.varint("version") as LogVersion;
    r.varint("size");
    if (start === 0) {
      r.take(16, "uuid");
      while (r.u8("label") !== 0);
    }
    let next: [number, number] | undefined;
    frames: for (;;) {
      const type = r.u8("frame type");
      switch (type) {
        case 1:
          break frames;
        case 2: {
          const total = r.varint("total");
          const here = r.varint("here");
          pending = { parts: [r.take(here, "record")], have: here, total, version };
          break;
        }
        case 3: {
          const n = r.varint("extended length");
          pending!.parts.push(r.take(n, "record"));
          pending!.have += n;
          break;
        }
        case 4:
          break;
        case 5:
          next = [r.varint("link start"), r.varint("link count")];
          break frames;
        default:
          throw new Error(`bad frame type ${type}`);
      }
      if (pending !== undefined && pending.have === pending.total) {
        const bytes = new Uint8Array(pending.total);
        let at = 0;
        for (const part of pending.parts) {
          bytes.set(part, at);
          at += part.length;
        }
        records.push({ bytes, version: pending.version });
        pending = undefined;
      }
    }
    if (next === undefined) return records;
    [start, sectors] = next;
  }
}
