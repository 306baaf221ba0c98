import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertIsomorphic, graphArb } from "../test/graph.js";
import { printValue } from "./print-value.js";
import { Tuple } from "./tuple.js";
import { isComposite, type Value } from "./value.js";

function composites(root: Value): Set<object> {
  const seen = new Set<object>();
  const work: Array<Value | undefined> = [root];
  while (work.length > 0) {
    const v = work.pop();
    if (!isComposite(v) || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Tuple) for (const [, x] of v) work.push(x);
    else work.push(...v);
  }
  return seen;
}

describe("Tuple properties", () => {
  it("clone is isomorphic to the original and shares no composite with it", () => {
    fc.assert(
      fc.property(graphArb, (root) => {
        const copy = root.clone();
        assertIsomorphic(root, copy);
        const originals = composites(root);
        for (const c of composites(copy)) expect(originals.has(c)).toBe(false);
        expect(printValue(copy)).toBe(printValue(root));
      }),
    );
  });

  it("count equals the number of distinct attributes set and not deleted", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.nat(20), fc.nat(20).map(String)), fc.option(fc.string(), { nil: undefined }))), (ops) => {
        const t = new Tuple();
        const model = new Map<string, string>();
        for (const [attr, v] of ops) {
          t.set(attr, v);
          if (v === undefined) model.delete(String(attr));
          else model.set(String(attr), v);
        }
        expect(t.count).toBe(model.size);
        for (const [k, v] of model) expect(t.get(k)).toBe(v);
      }),
    );
  });
});
