import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printValue } from "../src/print-value.js";
import { Tuple } from "../src/tuple.js";
import { TupleCodec } from "../src/tuple-codec.js";
import { FIXTURES, fixtureText, logRecords } from "./fixture-log.js";
import { toPlain } from "./plain.js";

const NAMES = ["empty", "small", "program", "v4", "many"];

function summaryCounts(name: string): { dictionary: number; total: number; obsolete: number } {
  const m = /dictionary entries (\d+), total entries (\d+), obsolete (\d+)/.exec(fixtureText(name, "summary.txt"))!;
  return { dictionary: Number(m[1]), total: Number(m[2]), obsolete: Number(m[3]) };
}

function decodeImage(name: string, records = Infinity): TupleCodec {
  const codec = new TupleCodec();
  for (const record of logRecords(readFileSync(`${FIXTURES}${name}/${name}.img`)).slice(0, records)) {
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

/** The metadata block of dump/mkfs output: what follows the line "metadata". */
function metadataSection(text: string): string {
  return text.slice(text.indexOf("metadata\n") + "metadata\n".length).replace(/\n$/, "");
}

/** Adds the in-memory `..` links that Nanos's filesystem (and so `dump`) gives directories. */
function addParentLinks(root: Tuple): void {
  const work: Array<[Tuple, Tuple]> = [[root, root]];
  while (work.length > 0) {
    const [dir, parent] = work.pop()!;
    dir.set("..", parent);
    for (const [, child] of dir.getTuple("children")!) {
      if (child instanceof Tuple && child.getTuple("children") !== undefined) work.push([child, dir]);
    }
  }
}

describe.each(NAMES)("printing fixture %s", (name) => {
  it("prints the replayed tree exactly as Nanos dump does", () => {
    const root = decodeImage(name).root!;
    addParentLinks(root);
    expect(printValue(root, { indent: 0 })).toBe(metadataSection(fixtureText(name, "dump.txt")));
  });
});

describe.each(["small", "program", "v4"])("mkfs output of fixture %s", (name) => {
  it("prints the first record (the manifest's tree, before file extents) as mkfs does", () => {
    const root = decodeImage(name, 1).root!;
    expect(printValue(root, { indent: 0 })).toBe(metadataSection(fixtureText(name, "mkfs.out")));
  });
});

describe.each(NAMES.filter((name) => name !== "v4"))("version-5 fixture %s", (name) => {
  it("re-encodes mkfs's first record byte for byte", () => {
    const first = logRecords(readFileSync(`${FIXTURES}${name}/${name}.img`))[0]!;
    const { value } = new TupleCodec().decode(first.bytes);
    expect(new TupleCodec().encodeValue(value!)).toEqual(first.bytes);
  });
});
