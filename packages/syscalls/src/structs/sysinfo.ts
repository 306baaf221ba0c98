import { getI64, getU64, le, set64 } from "./bytes-view.js";

/** x86-64 `struct sysinfo`. */
export interface SysinfoData {
  /** Seconds since boot. */
  uptime: number;
  /** 1, 5 and 15 minute load averages, scaled by 65536 as Linux reports them. */
  loads: [number, number, number];
  /** Total usable memory (in `memUnit`s). */
  totalram: number;
  /** Free memory. */
  freeram: number;
  /** Shared memory. */
  sharedram: number;
  /** Memory used by buffers. */
  bufferram: number;
  /** Swap space. */
  totalswap: number;
  /** Free swap. */
  freeswap: number;
  /** Number of processes. */
  procs: number;
  /** High memory. */
  totalhigh: number;
  /** Free high memory. */
  freehigh: number;
  /** Size of the memory unit in bytes. */
  memUnit: number;
}

/** Size of `struct sysinfo` on x86-64. */
export const SYSINFO_SIZE = 112;

const RAM = ["totalram", "freeram", "sharedram", "bufferram", "totalswap", "freeswap"] as const;

/** Encodes `struct sysinfo`. */
export function encodeSysinfo(s: SysinfoData): Uint8Array {
  const b = new Uint8Array(SYSINFO_SIZE);
  const v = le(b);
  set64(v, 0, s.uptime);
  s.loads.forEach((l, i) => set64(v, 8 + 8 * i, l));
  RAM.forEach((name, i) => set64(v, 32 + 8 * i, s[name]));
  v.setUint16(80, s.procs, true);
  set64(v, 88, s.totalhigh);
  set64(v, 96, s.freehigh);
  v.setUint32(104, s.memUnit, true);
  return b;
}

/** Decodes `struct sysinfo`. */
export function decodeSysinfo(b: Uint8Array): SysinfoData {
  const v = le(b);
  const [totalram, freeram, sharedram, bufferram, totalswap, freeswap] = RAM.map((_, i) => getU64(v, 32 + 8 * i)) as [number, number, number, number, number, number];
  return {
    uptime: getI64(v, 0),
    loads: [getU64(v, 8), getU64(v, 16), getU64(v, 24)],
    totalram, freeram, sharedram, bufferram, totalswap, freeswap,
    procs: v.getUint16(80, true),
    totalhigh: getU64(v, 88),
    freehigh: getU64(v, 96),
    memUnit: v.getUint32(104, true),
  };
}
