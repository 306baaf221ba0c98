// Scatter/gather copy-out: 64 MiB gathered from 4 KiB fragments into one buffer, the way a block
// read or a socket read drains an sg list. Rates are bytes/s. Baselines: a plain array of
// fragments copied with Uint8Array#set, and Node's Buffer.concat.
import { runSuites, type Contender } from "@nanots/bench-kit";
import { SgList } from "../src/index.js";

const FRAGMENT = 4096;
const FRAGMENTS = 256; // 1 MiB per gather
const ROUNDS = 64; // 64 MiB per phase
const BYTES = FRAGMENT * FRAGMENTS * ROUNDS;

function pages(): Uint8Array[] {
  return Array.from({ length: FRAGMENTS }, (_, i) => new Uint8Array(FRAGMENT).fill(i & 0xff));
}

function checksum(out: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < out.length; i += FRAGMENT) sum = (sum + out[i]! * (i / FRAGMENT + 1)) >>> 0;
  return sum;
}

function contender(name: string, ours: boolean, gather: (fragments: Uint8Array[], out: Uint8Array) => Uint8Array): Contender {
  return {
    name,
    ours,
    make: () => {
      const fragments = pages();
      const out = new Uint8Array(FRAGMENT * FRAGMENTS);
      return {
        gather: () => {
          let result: Uint8Array = out;
          for (let r = 0; r < ROUNDS; r++) result = gather(fragments, out);
          return checksum(result);
        },
      };
    },
  };
}

runSuites(import.meta.url, [
  {
    title: "scatter/gather: 64 MiB gathered from 4 KiB fragments (rates in bytes/s)",
    ops: { gather: BYTES },
    contenders: [
      contender("@nanots/sg SgList append + copyTo", true, (fragments, out) => {
        const sg = new SgList();
        for (const f of fragments) sg.append(f);
        sg.copyTo(out);
        return out;
      }),
      contender("Uint8Array[] + set (baseline)", false, (fragments, out) => {
        let at = 0;
        for (const f of fragments) {
          out.set(f, at);
          at += f.length;
        }
        return out;
      }),
      contender("Buffer.concat", false, (fragments) => Buffer.concat(fragments)),
    ],
  },
]);
