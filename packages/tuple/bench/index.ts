// Benchmarks of @nanots/tuple against native and npm peers (see @nanots/bench-kit).
//
// 1. TFS metadata codec: a synthetic filesystem tree as one whole-tree record, and as many small
//    eav records (what mkfs and the kernel write). Peers: JSON and Node's v8 structured
//    serializer (which, like ours, keeps sharing and cycles) on the same tree as plain objects.
// 2. Hash table with a custom hash/equality (value-equal object keys) vs native Map, keyed by a
//    derived string key or by hash with hand-made chaining.
// 3. Manifest text parsing vs JSON.parse on the same document (native C++, the ceiling).
// 4. Nanos's JSON parser (objects and strings kept) vs JSON.parse on the same JSON text.
import { deserialize, serialize } from "node:v8";
import { mulberry32, runSuites, type Suite } from "@nanots/bench-kit";
import { HashTable, parseJson, parseManifest, printValue, Tuple, TupleCodec, type Value } from "@nanots/tuple";

const FILES = 4000;
const DIRS = 20;

type Plain = { [key: string]: Plain } | string | number;

/** A mkfs-like tree: directories of files with one extent each. */
function plainTree(seed: number): { [key: string]: Plain } {
  const random = mulberry32(seed);
  const children: { [key: string]: Plain } = {};
  for (let d = 0; d < DIRS; d++) children[`dir-${d}`] = { children: {} };
  for (let f = 0; f < FILES; f++) {
    const dir = children[`dir-${f % DIRS}`] as { children: { [key: string]: Plain } };
    const sectors = 1 + Math.floor(random() * 100);
    dir.children[`file-${f}-${Math.floor(random() * 1e9).toString(36)}.txt`] = {
      extents: { "0": { offset: 3073 + f * 100, length: sectors, allocated: sectors } },
      filelength: sectors * 512 - Math.floor(random() * 512),
    };
  }
  return { children, program: "/bin/server", environment: { PATH: "/bin:/usr/bin", HOME: "/" } };
}

/** Attributes in the tree (what `total` counts for it). */
const ENTRIES = (() => {
  const codec = new TupleCodec();
  codec.encodeTuple(Tuple.from(plainTree(1)));
  return codec.total;
})();

function sumFileLengths(root: Plain): number {
  let sum = 0;
  const work: Plain[] = [root];
  while (work.length > 0) {
    const v = work.pop()!;
    if (typeof v !== "object") continue;
    for (const [k, x] of Object.entries(v)) {
      if (k === "filelength") sum += Number(x);
      else work.push(x);
    }
  }
  return sum;
}

function sumFileLengthsTuple(root: Value | undefined): number {
  let sum = 0;
  const work: Array<Value | undefined> = [root];
  while (work.length > 0) {
    const v = work.pop();
    if (!(v instanceof Tuple)) continue;
    for (const [k, x] of v) {
      if (k.name === "filelength") sum += Number(x);
      else work.push(x);
    }
  }
  return sum;
}

const codecSuite: Suite = {
  title: `TFS metadata, one whole-tree record (${FILES} files, ${ENTRIES} entries; ops = entries)`,
  ops: { encode: ENTRIES, decode: ENTRIES },
  contenders: [
    {
      name: "@nanots/tuple TupleCodec",
      ours: true,
      make() {
        const root = Tuple.from(plainTree(1));
        let bytes: Uint8Array = new Uint8Array();
        return {
          encode: () => (bytes = new TupleCodec().encodeTuple(root)).length > 0,
          decode: () => sumFileLengthsTuple(new TupleCodec().decode(bytes).value),
        };
      },
    },
    {
      name: "JSON stringify/parse",
      make() {
        const root = plainTree(1);
        let text = "";
        return { encode: () => (text = JSON.stringify(root)).length > 0, decode: () => sumFileLengths(JSON.parse(text) as Plain) };
      },
    },
    {
      name: "node:v8 serialize/deserialize",
      make() {
        const root = plainTree(1);
        let bytes: Buffer = Buffer.alloc(0);
        return { encode: () => (bytes = serialize(root)).length > 0, decode: () => sumFileLengths(deserialize(bytes) as Plain) };
      },
    },
  ],
};

const RECORDS = 50_000;

const eavSuite: Suite = {
  title: `TFS eav records: ${RECORDS} "file.filelength = n" updates on a known tree (ops = records)`,
  ops: { encode: RECORDS, decode: RECORDS },
  contenders: [
    {
      name: "@nanots/tuple encodeEav/decode",
      ours: true,
      make() {
        const writer = new TupleCodec();
        const root = Tuple.from(plainTree(2));
        const base = writer.encodeTuple(root);
        const files = [...root.getTuple("children")!.values()].flatMap((d) => [...(d as Tuple).getTuple("children")!.values()]) as Tuple[];
        const records: Uint8Array[] = [];
        const reader = new TupleCodec();
        reader.decode(base);
        const before = reader.total;
        return {
          encode() {
            for (let i = 0; i < RECORDS; i++) records.push(writer.encodeEav(files[i % files.length]!, "filelength", i));
            return records.length;
          },
          decode() {
            let sum = 0;
            for (const r of records) sum += r.length > 0 ? 1 : 0;
            for (const r of records) reader.decode(r);
            return `${sum}:${reader.total - before}`;
          },
        };
      },
    },
    {
      name: "JSON [id, attr, value] records",
      make() {
        const records: string[] = [];
        return {
          encode() {
            for (let i = 0; i < RECORDS; i++) records.push(JSON.stringify([i % FILES, "filelength", i]));
            return records.length;
          },
          decode() {
            const files = Array.from({ length: FILES }, (): { [k: string]: number } => ({}));
            let sum = 0;
            for (const r of records) sum += r.length > 0 ? 1 : 0;
            let applied = 0;
            for (const r of records) {
              const [id, attr, value] = JSON.parse(r) as [number, string, number];
              files[id]![attr] = value;
              applied++;
            }
            return `${sum}:${applied}`;
          },
        };
      },
    },
  ],
};

// Hash table: value-equal keys {a, b}; every lookup uses a fresh key object.
const KEYS = 200_000;
interface Key {
  a: number;
  b: number;
}
const keyHash = (k: Key) => Math.imul(k.a, 0x9e3779b1) ^ k.b;
const keyEquals = (x: Key, y: Key) => x.a === y.a && x.b === y.b;
function keys(seed: number): Key[] {
  const random = mulberry32(seed);
  return Array.from({ length: KEYS }, () => ({ a: Math.floor(random() * 1e6), b: Math.floor(random() * 1e6) }));
}

const tableSuite: Suite = {
  title: `Hash table with custom hash/equality: ${KEYS} object keys, lookups with fresh key objects`,
  ops: { insert: KEYS, lookup: KEYS, delete: KEYS / 2 },
  contenders: [
    {
      name: "@nanots/tuple HashTable",
      ours: true,
      make() {
        const table = new HashTable<Key, number>(keyHash, keyEquals);
        const ks = keys(3);
        return {
          insert: () => {
            ks.forEach((k, i) => table.set(k, i + 1));
            return table.count;
          },
          lookup: () => ks.reduce((hits, k) => hits + (table.get({ a: k.a, b: k.b }) !== undefined ? 1 : 0), 0),
          delete: () => {
            for (let i = 0; i < KEYS / 2; i++) table.remove({ a: ks[i]!.a, b: ks[i]!.b });
            return table.count;
          },
        };
      },
    },
    {
      name: "native Map, string key `${a}:${b}`",
      make() {
        const map = new Map<string, { key: Key; value: number }>();
        const ks = keys(3);
        const id = (k: Key) => `${k.a}:${k.b}`;
        return {
          insert: () => {
            ks.forEach((k, i) => {
              const e = map.get(id(k));
              if (e === undefined) map.set(id(k), { key: k, value: i + 1 });
              else e.value = i + 1;
            });
            return map.size;
          },
          lookup: () => ks.reduce((hits, k) => hits + (map.get(id({ a: k.a, b: k.b })) !== undefined ? 1 : 0), 0),
          delete: () => {
            for (let i = 0; i < KEYS / 2; i++) map.delete(id(ks[i]!));
            return map.size;
          },
        };
      },
    },
    {
      name: "native Map by hash + chaining",
      make() {
        const map = new Map<number, Array<{ key: Key; value: number }>>();
        let size = 0;
        const ks = keys(3);
        const find = (k: Key) => map.get(keyHash(k))?.find((e) => keyEquals(e.key, k));
        return {
          insert: () => {
            ks.forEach((k, i) => {
              const e = find(k);
              if (e !== undefined) e.value = i + 1;
              else {
                const chain = map.get(keyHash(k));
                if (chain === undefined) map.set(keyHash(k), [{ key: k, value: i + 1 }]);
                else chain.push({ key: k, value: i + 1 });
                size++;
              }
            });
            return size;
          },
          lookup: () => ks.reduce((hits, k) => hits + (find({ a: k.a, b: k.b }) !== undefined ? 1 : 0), 0),
          delete: () => {
            for (let i = 0; i < KEYS / 2; i++) {
              const k = ks[i]!;
              const chain = map.get(keyHash(k));
              const at = chain?.findIndex((e) => keyEquals(e.key, k)) ?? -1;
              if (at >= 0) {
                chain!.splice(at, 1);
                size--;
                if (chain!.length === 0) map.delete(keyHash(k));
              }
            }
            return size;
          },
        };
      },
    },
  ],
};

// Manifest parsing: the same document as manifest text, JSON and YAML.
const manifestTree = plainTree(4);
for (const dir of Object.values(manifestTree.children as { [k: string]: { children: { [k: string]: Plain } } })) {
  for (const name of Object.keys(dir.children)) dir.children[name] = { contents: { host: `src/${name}` } };
}
const manifestText = printValue(Tuple.from(manifestTree), { indent: 0 });
const countHosts = (v: unknown): number => {
  let n = 0;
  const work = [v];
  while (work.length > 0) {
    const x = work.pop();
    if (x instanceof Tuple) for (const [k, y] of x) k.name === "host" ? n++ : work.push(y);
    else if (typeof x === "object" && x !== null) for (const [k, y] of Object.entries(x)) k === "host" ? n++ : work.push(y);
  }
  return n;
};

const parseSuite: Suite = {
  title: `Manifest text: ${FILES} files, ${(manifestText.length / 1024).toFixed(0)} KiB as manifest text (ops = files)`,
  ops: { parse: FILES },
  contenders: [
    { name: "@nanots/tuple parseManifest", ours: true, make: () => ({ parse: () => countHosts(parseManifest(manifestText)) }) },
    {
      name: "JSON.parse",
      make() {
        const text = JSON.stringify(manifestTree, null, 1);
        return { parse: () => countHosts(JSON.parse(text)) };
      },
    },
  ],
};

// JSON parsing: the manifest tree as indented JSON, with a number per file that Nanos discards.
const jsonTree = structuredClone(manifestTree);
for (const dir of Object.values(jsonTree.children as { [k: string]: { children: { [k: string]: { [k: string]: Plain } } } })) {
  for (const file of Object.values(dir.children)) file.mode = 420;
}
const jsonText = JSON.stringify(jsonTree, null, 1);

const jsonSuite: Suite = {
  title: `JSON text: ${FILES} files, ${(jsonText.length / 1024).toFixed(0)} KiB (ops = files)`,
  ops: { parse: FILES },
  contenders: [
    { name: "@nanots/tuple parseJson", ours: true, make: () => ({ parse: () => countHosts(parseJson(jsonText)) }) },
    { name: "JSON.parse", make: () => ({ parse: () => countHosts(JSON.parse(jsonText)) }) },
  ],
};

if (process.env.NANOTS_BENCH_CHILD === undefined) {
  const bytes = new TupleCodec().encodeTuple(Tuple.from(plainTree(1)));
  const json = JSON.stringify(plainTree(1)).length;
  const v8 = serialize(plainTree(1)).length;
  console.log(`whole-tree record: ours ${bytes.length} bytes, JSON ${json} bytes, v8 ${v8} bytes (MB/s = entries/s × bytes / ${ENTRIES} / 1e6)\n`);
}

runSuites(import.meta.url, [codecSuite, eavSuite, tableSuite, parseSuite, jsonSuite]);
