// Benchmarks of @nanots/heap. Bitset workload of DATA-STRUCTURES.md §11 (1e6-bit set: 1e6 random
// sets, 1e6 random tests, 1e5 find-first-clear from random starts on a 99.9%-full set) against
// typedfastbitset and a raw Uint32Array word scan; id heap and page heap alloc/free throughput.
import { mulberry32, runSuites, type Contender } from "@nanots/bench-kit";
import { TypedFastBitSet } from "typedfastbitset";
import { Bitmap, IdHeap, INVALID, PageHeap } from "../src/index.js";

const BITS = 1_000_000;
const SETS = 1_000_000;
const TESTS = 1_000_000;
const SCANS = 100_000;

interface BitOps {
  set(i: number): void;
  has(i: number): boolean;
  /** First clear bit at or after `i`, or -1. */
  firstClear(i: number): number;
}

/** First clear bit at or after `start` in `words`, or -1: the word-scan baseline. */
function scanWords(words: Uint32Array, start: number, bits: number): number {
  let w = start >>> 5;
  let word = ~words[w]! & (-1 << (start & 31));
  while (word === 0) {
    if (++w >= words.length) return -1;
    word = ~words[w]!;
  }
  const found = (w << 5) + 31 - Math.clz32(word & -word);
  return found < bits ? found : -1;
}

function bitsetContender(name: string, ours: boolean, make: () => BitOps): Contender {
  return {
    name,
    ours,
    make: () => {
      const random = mulberry32(7);
      const setAt = Uint32Array.from({ length: SETS }, () => Math.floor(random() * BITS));
      const testAt = Uint32Array.from({ length: TESTS }, () => Math.floor(random() * BITS));
      const scanFrom = Uint32Array.from({ length: SCANS }, () => Math.floor(random() * BITS));
      const sparse = make();
      // 99.9 % full: everything set except 1000 random holes.
      const holes = new Set(Array.from({ length: 1000 }, () => Math.floor(random() * BITS)));
      const full = make();
      for (let i = 0; i < BITS; i++) if (!holes.has(i)) full.set(i);
      return {
        set: () => {
          for (let i = 0; i < SETS; i++) sparse.set(setAt[i]!);
          return "done";
        },
        test: () => {
          let hits = 0;
          for (let i = 0; i < TESTS; i++) if (sparse.has(testAt[i]!)) hits++;
          return hits;
        },
        findFirstClear: () => {
          let sum = 0;
          for (let i = 0; i < SCANS; i++) sum += full.firstClear(scanFrom[i]!);
          return sum;
        },
      };
    },
  };
}

const bitset = [
  bitsetContender("@nanots/heap Bitmap", true, () => {
    const b = new Bitmap(BITS);
    b.extend(BITS - 1);
    return {
      set: (i) => void b.set(i, true),
      has: (i) => b.get(i),
      // INVALID is -1, the same "none" the peers return.
      firstClear: (i) => b.findFirstClear(i),
    };
  }),
  bitsetContender("typedfastbitset (.words scan ffc)", false, () => {
    const b = new TypedFastBitSet();
    b.resize(BITS);
    return { set: (i) => b.add(i), has: (i) => b.has(i), firstClear: (i) => scanWords(b.words, i, BITS) };
  }),
  bitsetContender("raw Uint32Array (baseline)", false, () => {
    const words = new Uint32Array(Math.ceil(BITS / 32));
    return {
      set: (i) => void (words[i >>> 5]! |= 1 << (i & 31)),
      has: (i) => (words[i >>> 5]! & (1 << (i & 31))) !== 0,
      firstClear: (i) => scanWords(words, i, BITS),
    };
  }),
];

const HEAP_OPS = 200_000;

function heapContender(name: string, make: () => { alloc(n: number): number; dealloc(a: number, n: number): boolean }, unit: number): Contender {
  return {
    name,
    ours: true,
    make: () => {
      const random = mulberry32(11);
      const sizes = Uint32Array.from({ length: HEAP_OPS }, () => (1 + Math.floor(random() * 8)) * unit);
      const order = Uint32Array.from({ length: HEAP_OPS }, (_, i) => i);
      for (let i = HEAP_OPS - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const heap = make();
      const addrs = new Float64Array(HEAP_OPS);
      return {
        alloc: () => {
          let failed = 0;
          for (let i = 0; i < HEAP_OPS; i++) if ((addrs[i] = heap.alloc(sizes[i]!)) === INVALID) failed++;
          return failed;
        },
        free: () => {
          let failed = 0;
          for (let k = 0; k < HEAP_OPS; k++) {
            const i = order[k]!;
            if (!heap.dealloc(addrs[i]!, sizes[i]!)) failed++;
          }
          return failed;
        },
      };
    },
  };
}

runSuites(import.meta.url, [
  {
    title: "bitset: 1e6-bit set (1e6 sets, 1e6 tests, 1e5 find-first-clear on a 99.9%-full set)",
    ops: { set: SETS, test: TESTS, findFirstClear: SCANS },
    contenders: bitset,
  },
  {
    title: "id heap: 2e5 allocations of 1–8 pages, then frees in random order",
    ops: { alloc: HEAP_OPS, free: HEAP_OPS },
    contenders: [heapContender("@nanots/heap IdHeap", () => IdHeap.create(0, 2 ** 22 * 4096, { pagesize: 4096 }), 4096)],
  },
  {
    title: "page heap: 2e5 allocations of 1–8 pages, then frees in random order",
    ops: { alloc: HEAP_OPS, free: HEAP_OPS },
    contenders: [
      heapContender("@nanots/heap PageHeap", () => {
        const heap = new PageHeap({ pagesize: 4096 });
        heap.addRange(0, 2 ** 22 * 4096);
        return heap;
      }, 4096),
    ],
  },
]);
