// Which addresses a case may touch. Natively the harness process has other mappings (its own
// code, heap, stack); a case must never reach them, so every address it uses is either in one
// of the three case pages or in a region that is unmapped both natively and in the emulator.
import { CODE_BASE, DATA_BASE, PAGE, STACK_BASE } from "./layout.js";
import type { Rng } from "./rng.js";

const TWO64 = 1n << 64n;
/** Linux's mmap_min_addr: nothing is ever mapped below it. */
const LOW_LIMIT = 0x10000n;
/** The harness maps nothing else between these two addresses. */
const CASE_REGION_START = 0x1000_0000n;
const CASE_REGION_END = 0x4000_0000n;
/** From here up, addresses are non-canonical (#GP) or kernel (#PF). */
const USER_LIMIT = 1n << 47n;

/** Whether every byte of [address, address + length) is in a case page or a safe unmapped region. */
export function isSafeRange(address: bigint, length: number): boolean {
  const start = BigInt.asUintN(64, address);
  for (let k = 0n; k < BigInt(Math.max(length, 1)); k++) {
    const a = (start + k) % TWO64;
    if (!(a < LOW_LIMIT || a >= USER_LIMIT || (a >= CASE_REGION_START && a < CASE_REGION_END))) return false;
  }
  return true;
}

/** Whether a range lies entirely inside one of the mapped case pages (so it will not fault on read). */
export function inCasePage(address: bigint, length: number): boolean {
  for (const base of [CODE_BASE, DATA_BASE, STACK_BASE]) {
    if (address >= BigInt(base) && address + BigInt(length) <= BigInt(base + PAGE)) return true;
  }
  return false;
}

/**
 * An address for a memory operand of about `size` bytes: mostly inside the data page, sometimes
 * the stack or code page, across a page edge, or somewhere that faults (#PF, #GP).
 */
export function pickAddress(rng: Rng, size: number, aligned: boolean): bigint {
  const inPage = (base: number): bigint => {
    let off = rng.below(PAGE - 16);
    if (aligned || rng.chance(0.5)) off -= off % Math.min(16, Math.max(1, size));
    return BigInt(base + off);
  };
  const r = rng.below(100);
  if (r < 78) return inPage(DATA_BASE);
  if (r < 86) return inPage(STACK_BASE);
  if (r < 90) return BigInt(DATA_BASE + PAGE - 1 - rng.below(Math.max(1, size - 1))); // crosses the end
  if (r < 92) return BigInt(DATA_BASE - 1 - rng.below(Math.max(1, size - 1))); // starts below
  if (r < 95) return inPage(CODE_BASE); // readable, never writable
  return rng.pick([
    BigInt(rng.below(0x10000 - 16)),
    BigInt(DATA_BASE + PAGE + rng.below(PAGE)),
    0x1800_0000n,
    (1n << 47n) + BigInt(rng.below(PAGE)), // non-canonical: #GP
    0xffff_8000_0000_0000n + BigInt(rng.below(PAGE)), // kernel half: #PF
    0xffff_ffff_ffff_fff8n,
  ]);
}
