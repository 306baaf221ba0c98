import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashTable } from "./hash-table.js";

// Keys are objects so that "the stored key object is kept" is observable; equality is by id.
interface Key {
  id: number;
  copy: number;
}
type Op =
  | { op: "set" | "noreplace"; id: number; value: number | undefined }
  | { op: "remove"; id: number }
  | { op: "walkDelete"; mod: number; other: number };

const hashes: Record<string, (k: Key) => number> = {
  constant: () => 42,
  lowBit: (k) => k.id & 1,
  identity: (k) => k.id,
  highBitsOnly: (k) => k.id * 2 ** 40,
};

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("set" as const, "noreplace" as const), id: fc.nat(40), value: fc.option(fc.nat(1000), { nil: undefined }) }),
  fc.record({ op: fc.constant("remove" as const), id: fc.nat(40) }),
  fc.record({ op: fc.constant("walkDelete" as const), mod: fc.integer({ min: 2, max: 5 }), other: fc.nat(40) }),
);

describe("HashTable against a model (custom equality, adversarial hashes)", () => {
  it.each(Object.keys(hashes))("%s hash", (name) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const table = new HashTable<Key, number>(hashes[name]!, (a, b) => a.id === b.id);
        const model = new Map<number, { key: Key; value: number | undefined }>();
        let copy = 0;
        for (const op of ops) {
          if (op.op === "walkDelete") {
            // Deletes each visited entry whose id is a multiple of `mod`, and at the first step
            // another entry not yet visited: each entry is visited once, except that one.
            const visited: number[] = [];
            const other = { id: op.other, copy: -1 };
            let removedOther = false;
            table.forEach((_, key) => {
              visited.push(key.id);
              if (visited.length === 1 && key.id !== other.id && table.has(other)) {
                table.remove(other);
                removedOther = true;
              }
              if (key.id % op.mod === 0) table.remove(key);
            });
            const expected = [...model.keys()].filter((id) => !(removedOther && id === other.id));
            expect([...visited].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
            for (const id of [...model.keys()]) if (id % op.mod === 0 || (removedOther && id === other.id)) model.delete(id);
            continue;
          }
          const key = { id: op.id, copy: copy++ };
          const present = model.get(op.id);
          if (op.op === "set") {
            table.set(key, op.value);
            if (op.value === undefined) model.delete(op.id);
            else model.set(op.id, { key: present?.key ?? key, value: op.value });
          } else if (op.op === "noreplace") {
            expect(table.setNoReplace(key, op.value)).toBe(present === undefined);
            if (present === undefined) model.set(op.id, { key, value: op.value });
          } else {
            expect(table.remove(key)).toBe(present?.value);
            model.delete(op.id);
          }
          expect(table.count).toBe(model.size);
        }
        table.validate();
        const entries = [...table].map(([k, v]) => [k.id, k.copy, v]).sort((a, b) => a[0]! - b[0]!);
        const expected = [...model].map(([id, e]) => [id, e.key.copy, e.value]).sort((a, b) => a[0]! - b[0]!);
        expect(entries).toEqual(expected);
        for (let id = 0; id <= 40; id++) expect(table.get({ id, copy: -1 })).toBe(model.get(id)?.value);
      }),
      { numRuns: 200 },
    );
  });
});
