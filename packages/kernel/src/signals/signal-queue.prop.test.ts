import { encodeSiginfo } from "@nanots/syscalls";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_QUEUED, sigbit, SignalQueue, signoOf, SIGRTMIN } from "./signal-queue.js";

const info = (signo: number, value = 0) => encodeSiginfo({ signo, errno: 0, code: -1, value });
const valueOf = (i: Uint8Array) => Number(new DataView(i.buffer).getBigUint64(24, true));

describe("SignalQueue", () => {
  it("keeps one instance of a pending standard signal and every instance of a real-time one", () => {
    const q = new SignalQueue();
    expect(q.add(info(10, 1))).toBe("queued");
    expect(q.add(info(10, 2))).toBe("coalesced");
    expect(q.add(info(40, 1))).toBe("queued");
    expect(q.add(info(40, 2))).toBe("queued");
    expect(q.length).toBe(3);
    expect(valueOf(q.take(sigbit(10))!)).toBe(1);
    expect(q.mask).toBe(sigbit(40));
    expect(valueOf(q.take(~0n)!)).toBe(1);
    expect(q.mask).toBe(sigbit(40)); // the second instance is still pending
    expect(valueOf(q.take(~0n)!)).toBe(2);
    expect(q.mask).toBe(0n);
    expect(q.take(~0n)).toBeUndefined();
  });

  it("takes a pending fault before lower-numbered signals, and nothing outside the allowed set", () => {
    const q = new SignalQueue();
    q.add(info(2));
    q.add(info(11));
    expect(q.take(~sigbit(2) & ~sigbit(11))).toBeUndefined();
    expect(signoOf(q.take(~0n)!)).toBe(11);
    expect(signoOf(q.take(~0n)!)).toBe(2);
  });

  it("refuses signals past its limit and forgets a discarded signal", () => {
    const q = new SignalQueue();
    for (let k = 0; k < MAX_QUEUED; k++) expect(q.add(info(SIGRTMIN))).toBe("queued");
    expect(q.add(info(SIGRTMIN + 1))).toBe("full");
    q.discard(SIGRTMIN);
    expect(q.length).toBe(0);
    expect(q.mask).toBe(0n);
  });

  it("matches a model: per signal, standard ones at most once, real-time ones in order", () => {
    const op = fc.oneof(
      fc.record({ add: fc.integer({ min: 1, max: 64 }), value: fc.nat(1000) }),
      fc.record({ take: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const q = new SignalQueue();
        const model = new Map<number, number[]>();
        for (const o of ops) {
          if ("add" in o) {
            const list = model.get(o.add) ?? [];
            if (o.add < SIGRTMIN && list.length > 0) expect(q.add(info(o.add, o.value))).toBe("coalesced");
            else {
              expect(q.add(info(o.add, o.value))).toBe("queued");
              list.push(o.value);
              model.set(o.add, list);
            }
          } else {
            const ready = [...model.keys()].filter((s) => (o.take & sigbit(s)) !== 0n).sort((a, b) => a - b);
            const faults = ready.filter((s) => [4, 5, 7, 8, 11, 31].includes(s));
            const expected = faults[0] ?? ready[0];
            const got = q.take(o.take);
            if (expected === undefined) expect(got).toBeUndefined();
            else {
              expect(signoOf(got!)).toBe(expected);
              expect(valueOf(got!)).toBe(model.get(expected)!.shift());
              if (model.get(expected)!.length === 0) model.delete(expected);
            }
          }
          const mask = [...model.keys()].reduce((m, s) => m | sigbit(s), 0n);
          expect(q.mask).toBe(mask);
        }
      }),
    );
  });
});
