import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OpenFlag, Seek } from "../linux-constants.js";
import { errnoCode } from "../test-machine.js";
import type { FileDescription } from "./file-description.js";
import { Vfs } from "./vfs.js";

/** The model: file contents by name, and per open description its name, offset and flags. */
interface Model {
  files: Map<string, Uint8Array>;
  open: Array<{ name: string; offset: number; append: boolean; desc: FileDescription }>;
}

const NAMES = ["a", "b", "c"];

type Op =
  | { op: "open"; name: string; trunc: boolean; append: boolean }
  | { op: "write"; slot: number; data: Uint8Array }
  | { op: "pwrite"; slot: number; data: Uint8Array; at: number }
  | { op: "read"; slot: number; length: number }
  | { op: "seek"; slot: number; to: number }
  | { op: "truncate"; slot: number; length: number }
  | { op: "close"; slot: number }
  | { op: "unlink"; name: string }
  | { op: "rename"; from: string; to: string };

const openArb = fc.record({ op: fc.constant("open" as const), name: fc.constantFrom(...NAMES), trunc: fc.boolean(), append: fc.boolean() });
const writeArb = fc.record({ op: fc.constant("write" as const), slot: fc.nat(4), data: fc.uint8Array({ minLength: 1, maxLength: 700 }) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  openArb,
  writeArb,
  fc.record({ op: fc.constant("pwrite" as const), slot: fc.nat(4), data: fc.uint8Array({ maxLength: 300 }), at: fc.nat(3000) }),
  fc.record({ op: fc.constant("read" as const), slot: fc.nat(4), length: fc.nat(1500) }),
  fc.record({ op: fc.constant("seek" as const), slot: fc.nat(4), to: fc.nat(3000) }),
  fc.record({ op: fc.constant("truncate" as const), slot: fc.nat(4), length: fc.nat(3000) }),
  fc.record({ op: fc.constant("close" as const), slot: fc.nat(4) }),
  fc.record({ op: fc.constant("unlink" as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ op: fc.constant("rename" as const), from: fc.constantFrom(...NAMES), to: fc.constantFrom(...NAMES) }),
);

function writeModel(content: Uint8Array, data: Uint8Array, at: number): Uint8Array {
  if (data.length === 0) return content; // writing nothing changes nothing, wherever
  const out = new Uint8Array(Math.max(content.length, at + data.length));
  out.set(content);
  out.set(data, at);
  return out;
}

function resize(content: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(content.subarray(0, length));
  return out;
}

describe("Vfs regular files against a model", () => {
  it("read/write/pwrite/seek/truncate/unlink/rename through shared descriptions match", () => {
    fc.assert(
      // Sequences start by opening and writing, so the later operations have content to act on.
      fc.property(fc.tuple(openArb, writeArb, fc.array(opArb, { maxLength: 40 })).map(([o, w, rest]) => [o, w, ...rest]), (ops) => {
        const fs = Tfs.format(new MemoryBlockDevice(16 * 2 ** 20));
        const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n) });
        // An open description's content lives in the model under an identity that survives renames and unlinks.
        const contents = new Map<FileDescription, { data: Uint8Array }>();
        const byName = new Map<string, { data: Uint8Array }>();
        const m: Model = { files: new Map(), open: [] };
        for (const o of ops) {
          const slot = "slot" in o ? m.open[o.slot % Math.max(1, m.open.length)] : undefined;
          switch (o.op) {
            case "open": {
              const flags = OpenFlag.O_CREAT | 2 | (o.trunc ? OpenFlag.O_TRUNC : 0) | (o.append ? OpenFlag.O_APPEND : 0);
              const desc = vfs.open("/", `/${o.name}`, flags);
              let file = byName.get(o.name);
              if (file === undefined) byName.set(o.name, (file = { data: new Uint8Array(0) }));
              if (o.trunc) file.data = new Uint8Array(0);
              contents.set(desc, file);
              m.open.push({ name: o.name, offset: 0, append: o.append, desc });
              break;
            }
            case "write":
            case "pwrite": {
              if (slot === undefined) break;
              const file = contents.get(slot.desc)!;
              if (o.op === "write") {
                const at = slot.append ? file.data.length : slot.offset;
                expect(slot.desc.write(o.data)).toBe(o.data.length);
                file.data = writeModel(file.data, o.data, at);
                slot.offset = at + o.data.length;
              } else {
                slot.desc.pwrite(o.data, o.at);
                file.data = writeModel(file.data, o.data, slot.append ? file.data.length : o.at);
              }
              break;
            }
            case "read": {
              if (slot === undefined) break;
              const file = contents.get(slot.desc)!;
              const expected = file.data.slice(Math.min(slot.offset, file.data.length), slot.offset + o.length);
              expect(slot.desc.read(o.length)).toEqual(expected);
              slot.offset += expected.length;
              break;
            }
            case "seek":
              if (slot === undefined) break;
              expect(slot.desc.seek(o.to, Seek.SEEK_SET)).toBe(o.to);
              slot.offset = o.to;
              break;
            case "truncate": {
              if (slot === undefined) break;
              slot.desc.truncate(o.length);
              const file = contents.get(slot.desc)!;
              file.data = resize(file.data, o.length);
              break;
            }
            case "close":
              if (slot === undefined) break;
              slot.desc.close();
              m.open.splice(m.open.indexOf(slot), 1);
              break;
            case "unlink": {
              const code = errnoCode(() => vfs.unlink("/", `/${o.name}`));
              expect(code).toBe(byName.has(o.name) ? "ok" : "ENOENT");
              byName.delete(o.name);
              break;
            }
            case "rename": {
              const code = errnoCode(() => vfs.rename("/", `/${o.from}`, "/", `/${o.to}`));
              expect(code).toBe(byName.has(o.from) ? "ok" : "ENOENT");
              const file = byName.get(o.from);
              if (file !== undefined && o.from !== o.to) {
                byName.set(o.to, file);
                byName.delete(o.from);
              }
              break;
            }
          }
        }
        // Every name holds what the model says, and every open description sees its file.
        for (const name of NAMES) {
          const file = byName.get(name);
          if (file === undefined) expect(fs.exists(`/${name}`)).toBe(false);
          else expect(fs.readFile(`/${name}`)).toEqual(file.data);
        }
        for (const s of m.open) expect(s.desc.pread(1 << 16, 0)).toEqual(contents.get(s.desc)!.data);
      }),
      { numRuns: 300 },
    );
  });
});
