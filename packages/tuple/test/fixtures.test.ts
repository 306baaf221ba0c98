import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TupleCodec } from "../src/tuple-codec.js";
import { FIXTURES, fixtureText, logRecords } from "./fixture-log.js";
import { toPlain } from "./plain.js";

const NAMES = ["empty", "small", "program", "v4", "many"];

function summaryCounts(name: string): { dictionary: number; total: number; obsolete: number } {
  const m = /dictionary entries (\d+), total entries (\d+), obsolete (\d+)/.exec(fixtureText(name, "summary.txt"))!;
  return { dictionary: Number(m[1]), total: Number(m[2]), obsolete: Number(m[3]) };
}

function decodeImage(name: string): TupleCodec {
  const codec = new TupleCodec();
  for (const record of logRecords(readFileSync(`${FIXTURES}${name}/${name}.img`))) {
    const { length } = codec.decode(record.bytes, 0, record.version);
    expect(length).toBe(record.bytes.length);
  }
  return codec;
}

describe.each(NAMES)("fixture %s", (name) => {
  const codec = decodeImage(name);
  const meta = JSON.parse(fixtureText(name, "meta.json")) as { root: unknown };

  it("replays to the root tuple of meta.json", () => {
    expect(toPlain(codec.root)).toEqual(meta.root);
  });

  it("counts dictionary entries, total and obsolete entries like the reference reader", () => {
    expect({ dictionary: codec.dictionary.size, total: codec.total, obsolete: codec.obsolete }).toEqual(summaryCounts(name));
  });

  it("re-encodes as one record that decodes to the same tree", () => {
    const bytes = new TupleCodec().encodeTuple(codec.root!);
    const again = new TupleCodec();
    expect(again.decode(bytes).length).toBe(bytes.length);
    expect(toPlain(again.root)).toEqual(meta.root);
  });
});
