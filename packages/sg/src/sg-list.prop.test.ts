import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefCount } from "./ref-count.js";
import { SgList } from "./sg-list.js";

type Op =
  | { kind: "append"; bytes: Uint8Array }
  | { kind: "consume" | "copyTo" | "zeroFill" | "moveBack"; n: number }
  | { kind: "removeHead" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("append" as const), bytes: fc.uint8Array({ maxLength: 12 }) }),
  fc.record({ kind: fc.constantFrom("consume" as const, "copyTo" as const, "zeroFill" as const, "moveBack" as const), n: fc.nat(40) }),
  fc.record({ kind: fc.constant("removeHead" as const) }),
);

describe("SgList vs a flat byte-array model", () => {
  it("keeps contents and lengths exact and releases each fragment exactly once", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const sg = new SgList();
        const other = new SgList(); // where moveBack parks bytes before moving them back
        let model: number[] = [];
        const frees = new Map<number, number>();
        let next = 0;
        const newRef = () => {
          const id = next++;
          frees.set(id, 0);
          return new RefCount(() => frees.set(id, frees.get(id)! + 1));
        };
        for (const o of ops) {
          switch (o.kind) {
            case "append":
              sg.append(o.bytes.slice(), newRef());
              model.push(...o.bytes);
              break;
            case "consume":
              expect(sg.consume(o.n)).toBe(Math.min(o.n, model.length));
              model = model.slice(o.n);
              break;
            case "copyTo": {
              const out = new Uint8Array(o.n);
              const copied = sg.copyTo(out);
              expect(copied).toBe(Math.min(o.n, model.length));
              expect([...out.subarray(0, copied)]).toEqual(model.slice(0, copied));
              model = model.slice(copied);
              break;
            }
            case "zeroFill":
              // Zeroing consumes what it zeroes, so the model just loses those bytes.
              expect(sg.zeroFill(o.n)).toBe(Math.min(o.n, model.length));
              model = model.slice(o.n);
              break;
            case "moveBack": {
              // Move n bytes out and then back: the list's contents rotate by n.
              const moved = sg.moveTo(other, o.n);
              expect(moved).toBe(Math.min(o.n, model.length));
              expect(other.totalLength).toBe(moved);
              other.moveTo(sg, moved);
              expect(other.length).toBe(0);
              model = [...model.slice(moved), ...model.slice(0, moved)];
              break;
            }
            case "removeHead": {
              const head = sg.removeHead();
              if (head === undefined) expect(model.length).toBe(0);
              else {
                const len = head.bytes.length - head.offset;
                expect([...head.bytes.subarray(head.offset)]).toEqual(model.slice(0, len));
                model = model.slice(len);
                head.ref?.release();
              }
              break;
            }
          }
          expect(sg.totalLength).toBe(model.length);
          expect([...sg.toUint8Array()]).toEqual(model);
          for (const buf of sg) expect(buf.bytes.length - buf.offset).toBeGreaterThan(0);
        }
        sg.release();
        for (const count of frees.values()) expect(count).toBe(1);
      }),
    );
  });
});
