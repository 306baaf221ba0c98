// Priority queues: 1e6 pushes of random floats then 1e6 pops; and the hold model (size 10000,
// 1e6 pop+push pairs) that kernel timers follow. The workload of DATA-STRUCTURES.md §11.
import { mulberry32, runSuites, type Contender } from "@nanots/bench-kit";
import FlatQueue from "flatqueue";
import { Heap } from "heap-js";
import TinyQueue from "tinyqueue";
import { NumericPriorityQueue, PriorityQueue } from "../src/index.js";

const N = 1_000_000;
const HOLD_SIZE = 10_000;
const HOLD_OPS = 1_000_000;

interface Queue {
  push(v: number): void;
  pop(): number | undefined;
  /** One hold step: pop the head, push `v`. */
  hold(v: number): void;
  readonly size: number;
}

function contender(name: string, ours: boolean, make: () => Queue): Contender {
  return {
    name,
    ours,
    make: () => {
      const random = mulberry32(42);
      const values = Float64Array.from({ length: N + HOLD_SIZE + HOLD_OPS }, random);
      const q = make();
      const hold = make();
      return {
        push: () => {
          for (let i = 0; i < N; i++) q.push(values[i]!);
          return q.size;
        },
        pop: () => {
          let last = -Infinity;
          let violations = 0;
          for (let i = 0; i < N; i++) {
            const v = q.pop()!;
            if (v < last) violations++;
            last = v;
          }
          return `violations=${violations} size=${q.size}`;
        },
        hold: () => {
          for (let i = 0; i < HOLD_SIZE; i++) hold.push(values[N + i]!);
          for (let i = 0; i < HOLD_OPS; i++) hold.hold(values[N + HOLD_SIZE + i]!);
          return hold.size;
        },
      };
    },
  };
}

const byValue = (a: number, b: number) => a - b;

runSuites(import.meta.url, [
  {
    title: "priority queue: 1e6 push then 1e6 pop of random floats; hold: size 1e4, 1e6 pop+push",
    ops: { push: N, pop: N, hold: HOLD_OPS + HOLD_SIZE },
    contenders: [
      contender("@nanots/pqueue PriorityQueue", true, () => {
        const q = new PriorityQueue<number>(byValue);
        return { push: (v) => q.push(v), pop: () => q.pop(), hold: (v) => (q.pop(), q.push(v)), get size() { return q.length; } };
      }),
      contender("@nanots/pqueue NumericPriorityQueue", true, () => {
        const q = new NumericPriorityQueue<number>();
        return { push: (v) => q.push(v, v), pop: () => q.pop(), hold: (v) => (q.pop(), q.push(v, v)), get size() { return q.length; } };
      }),
      contender("@nanots/pqueue NumericPriorityQueue (hold via replaceTop)", true, () => {
        const q = new NumericPriorityQueue<number>();
        return { push: (v) => q.push(v, v), pop: () => q.pop(), hold: (v) => void q.replaceTop(v, v), get size() { return q.length; } };
      }),
      contender("flatqueue", false, () => {
        const q = new FlatQueue<number>();
        return { push: (v) => q.push(v, v), pop: () => q.pop(), hold: (v) => (q.pop(), q.push(v, v)), get size() { return q.length; } };
      }),
      contender("tinyqueue", false, () => {
        const q = new TinyQueue<number>([], byValue);
        return { push: (v) => q.push(v), pop: () => q.pop(), hold: (v) => (q.pop(), q.push(v)), get size() { return q.length; } };
      }),
      contender("heap-js", false, () => {
        const q = new Heap<number>(byValue);
        return { push: (v) => void q.push(v), pop: () => q.pop(), hold: (v) => (q.pop(), q.push(v)), get size() { return q.length; } };
      }),
    ],
  },
]);
