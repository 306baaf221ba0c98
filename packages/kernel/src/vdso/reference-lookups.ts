// Test helper: how musl, Go and glibc find a symbol in the vDSO, re-expressed step by step
// over an image mapped at a chosen address (they read it through AT_SYSINFO_EHDR, never from
// a file). Written from the behaviour of musl's src/internal/vdso.c, Go's
// runtime/vdso_linux.go and glibc's setup_vdso/dl_vdso_vsym/do_lookup_x, so a vDSO that
// passes here is one those loaders accept. Every read outside the image throws, as the real
// loaders would fault.
import { PT_DYNAMIC, PT_LOAD, PT_TLS } from "../elf/elf-constants.js";
import { DT, STB_GLOBAL, STB_WEAK, STT_FUNC, VER_FLG_BASE } from "./dynamic-constants.js";
import { elfHash, gnuHash as gnuHashOf } from "./symbol-hash.js";

const { HASH: DT_HASH, STRTAB: DT_STRTAB, SYMTAB: DT_SYMTAB, GNU_HASH: DT_GNU_HASH, VERSYM: DT_VERSYM, VERDEF: DT_VERDEF } = DT;
const SHN_ABS = 0xfff1;

/** A vDSO image as the guest sees it: `bytes` at address `base`. */
export class MappedImage {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private at(address: number, n: number): number {
    const i = address - this.base;
    if (!Number.isSafeInteger(address) || i < 0 || i + n > this.bytes.length) {
      throw new Error(`fault: ${n}-byte read at 0x${address.toString(16)} is outside the vDSO mapped at 0x${this.base.toString(16)}`);
    }
    return i;
  }

  u8(address: number): number {
    return this.view.getUint8(this.at(address, 1));
  }

  u16(address: number): number {
    return this.view.getUint16(this.at(address, 2), true);
  }

  u32(address: number): number {
    return this.view.getUint32(this.at(address, 4), true);
  }

  u64(address: number): number {
    const i = this.at(address, 8);
    return this.view.getUint32(i, true) + this.view.getUint32(i + 4, true) * 0x100000000;
  }

  /** A NUL-terminated string; a string running off the image is a fault. */
  cstring(address: number): string {
    let end = this.at(address, 1);
    while (this.view.getUint8(end) !== 0) end = this.at(this.base + end + 1, 1);
    return new TextDecoder().decode(this.bytes.subarray(address - this.base, end));
  }
}

/** Walks the program headers the way musl and Go do: e_phoff from the mapped header. */
function programHeaders(m: MappedImage, stride: number | "e_phentsize"): { type: number; at: number }[] {
  const eh = m.base;
  const phoff = m.u64(eh + 32);
  const step = stride === "e_phentsize" ? m.u16(eh + 54) : stride;
  return Array.from({ length: m.u16(eh + 56) }, (_, i) => ({ type: m.u32(eh + phoff + i * step), at: eh + phoff + i * step }));
}

/** The dynamic entries from `dynv` up to DT_NULL, tag to value. */
function dynamicEntries(m: MappedImage, dynv: number): Map<number, number> {
  const entries = new Map<number, number>();
  for (let at = dynv; ; at += 16) {
    const tag = m.u64(at);
    if (tag === 0) return entries;
    entries.set(tag, m.u64(at + 8));
  }
}

/**
 * musl's `__vdsosym(vername, name)`: the last PT_LOAD gives the bias, PT_DYNAMIC is found by
 * its file offset, the symbol table is scanned linearly for DT_HASH's nchain entries, and a
 * symbol's version is checked by walking the version definitions. Returns the address or 0.
 */
export function muslVdsoSym(m: MappedImage, vername: string, name: string): number {
  const eh = m.base;
  let base = -1;
  let dynv = 0;
  for (const ph of programHeaders(m, "e_phentsize")) {
    if (ph.type === PT_LOAD) base = eh + m.u64(ph.at + 8) - m.u64(ph.at + 16);
    else if (ph.type === PT_DYNAMIC) dynv = eh + m.u64(ph.at + 8);
  }
  if (dynv === 0 || base === -1) return 0;
  const dyn = dynamicEntries(m, dynv);
  const pointer = (tag: number): number => (dyn.has(tag) ? base + (dyn.get(tag) as number) : 0);
  const strings = pointer(DT_STRTAB);
  const syms = pointer(DT_SYMTAB);
  const hashtab = pointer(DT_HASH);
  const verdef = pointer(DT_VERDEF);
  const versym = verdef === 0 ? 0 : pointer(DT_VERSYM);
  if (strings === 0 || syms === 0 || hashtab === 0) return 0;

  const OK_TYPES = (1 << 0) | (1 << 1) | (1 << STT_FUNC) | (1 << 5); // NOTYPE OBJECT FUNC COMMON
  const OK_BINDS = (1 << STB_GLOBAL) | (1 << STB_WEAK) | (1 << 10); // GLOBAL WEAK GNU_UNIQUE
  const checkver = (vsym: number): boolean => {
    let def = verdef;
    for (;;) {
      if ((m.u16(def + 2) & VER_FLG_BASE) === 0 && (m.u16(def + 4) & 0x7fff) === (vsym & 0x7fff)) break;
      const next = m.u32(def + 16);
      if (next === 0) return false;
      def += next;
    }
    return m.cstring(strings + m.u32(def + m.u32(def + 12))) === vername;
  };
  const nsym = m.u32(hashtab + 4);
  for (let i = 0; i < nsym; i++) {
    const sym = syms + 24 * i;
    const info = m.u8(sym + 4);
    if (((1 << (info & 0xf)) & OK_TYPES) === 0) continue;
    if (((1 << (info >> 4)) & OK_BINDS) === 0) continue;
    if (m.u16(sym + 6) === 0) continue;
    if (m.cstring(strings + m.u32(sym)) !== name) continue;
    if (versym !== 0 && !checkver(m.u16(versym + 2 * i))) continue;
    return base + m.u64(sym + 8);
  }
  return 0;
}

/** A symbol Go's runtime looks for, with the two hashes its table carries precomputed. */
export interface GoSymbolKey {
  readonly name: string;
  readonly symHash: number;
  readonly gnuHash: number;
}

/**
 * Go's `vdsoInitFromSysinfoEhdr`, `vdsoFindVersion` and `vdsoParseSymbols`: the first PT_LOAD
 * gives the bias, PT_DYNAMIC is found by file offset, DT_GNU_HASH is used when present (Go
 * 1.11 on; `table: "sysv"` acts as older Go, which reads only DT_HASH), and a symbol counts
 * only if it is an STT_FUNC, global or weak, defined, with the version index of
 * `version`/`versionHash`. Returns the address found for each key's name.
 */
export function goVdsoLookup(
  m: MappedImage,
  version: string,
  versionHash: number,
  keys: readonly GoSymbolKey[],
  table: "gnu" | "sysv" = "gnu",
): Map<string, number> {
  const found = new Map<string, number>();
  const loadAddr = m.base;
  let loadOffset: number | undefined;
  let dyn = 0;
  for (const ph of programHeaders(m, 56)) {
    if (ph.type === PT_LOAD && loadOffset === undefined) loadOffset = loadAddr + m.u64(ph.at + 8) - m.u64(ph.at + 16);
    else if (ph.type === PT_DYNAMIC) dyn = loadAddr + m.u64(ph.at + 8);
  }
  if (loadOffset === undefined || dyn === 0) return found;
  const entries = dynamicEntries(m, dyn);
  const pointer = (tag: number): number => (entries.has(tag) ? (loadOffset as number) + (entries.get(tag) as number) : 0);
  const symstrings = pointer(DT_STRTAB);
  const symtab = pointer(DT_SYMTAB);
  const hash = pointer(DT_HASH);
  const gnuhash = table === "gnu" ? pointer(DT_GNU_HASH) : 0;
  const verdef = pointer(DT_VERDEF);
  const versym = verdef === 0 ? 0 : pointer(DT_VERSYM);
  if (symstrings === 0 || symtab === 0 || (hash === 0 && gnuhash === 0)) return found;

  // vdsoFindVersion (Go reads verdef without a nil check: a vDSO without one crashes it).
  let ver = -1;
  for (let def = verdef; ; def += m.u32(def + 16)) {
    if ((m.u16(def + 2) & VER_FLG_BASE) === 0) {
      const aux = def + m.u32(def + 12);
      if (m.u32(def + 8) === versionHash && m.cstring(symstrings + m.u32(aux)) === version) {
        ver = m.u16(def + 4) & 0x7fff;
        break;
      }
    }
    if (m.u32(def + 16) === 0) break;
  }

  const apply = (symIndex: number, k: GoSymbolKey): boolean => {
    const sym = symtab + 24 * symIndex;
    const info = m.u8(sym + 4);
    const bind = info >> 4;
    if ((info & 0xf) !== STT_FUNC || (bind !== STB_GLOBAL && bind !== STB_WEAK) || m.u16(sym + 6) === 0) return false;
    if (m.cstring(symstrings + m.u32(sym)) !== k.name) return false;
    if (versym !== 0 && ver !== 0 && (m.u16(versym + 2 * symIndex) & 0x7fff) !== ver) return false;
    found.set(k.name, (loadOffset as number) + m.u64(sym + 8));
    return true;
  };

  if (gnuhash === 0) {
    const nbucket = m.u32(hash);
    const bucket = hash + 8;
    const chain = bucket + 4 * nbucket;
    for (const k of keys) {
      for (let i = m.u32(bucket + 4 * (k.symHash % nbucket)); i !== 0; i = m.u32(chain + 4 * i)) if (apply(i, k)) break;
    }
    return found;
  }
  const nbucket = m.u32(gnuhash);
  const symOff = m.u32(gnuhash + 4);
  const bloomSize = m.u32(gnuhash + 8);
  const bucket = gnuhash + 16 + 8 * bloomSize;
  const chain = bucket + 4 * nbucket;
  for (const k of keys) {
    let symIndex = m.u32(bucket + 4 * (k.gnuHash % nbucket));
    if (symIndex < symOff) continue;
    for (; ; symIndex++) {
      const h = m.u32(chain + 4 * (symIndex - symOff));
      if ((h | 1) === (k.gnuHash | 1) && apply(symIndex, k)) break;
      if ((h & 1) !== 0) break;
    }
  }
  return found;
}

/**
 * glibc's `dl_vdso_vsym(name)` for version `version`/`versionHash` (VDSO_NAME/VDSO_HASH):
 * `setup_vdso` biases the dynamic pointers by the map address minus the first PT_LOAD's
 * p_vaddr (and rejects PT_TLS), `_dl_check_map_versions` records each non-base version
 * definition by index, `_dl_setup_hash` prefers DT_GNU_HASH (bloom filter, whose size must
 * be a power of two) over DT_HASH, and `check_match`/`do_lookup_x` keep a defined, visible,
 * global or weak symbol of an allowed type whose version matches exactly (the vDSO lookup
 * asks for a hidden version, so no unversioned fallback). Returns the address or 0.
 */
export function glibcVdsoVsym(
  m: MappedImage,
  name: string,
  version: string,
  versionHash: number,
  table: "gnu" | "sysv" = "gnu",
): number {
  let lAddr = 0;
  let ld = 0;
  for (const ph of programHeaders(m, 56)) {
    if (ph.type === PT_DYNAMIC) ld = m.u64(ph.at + 16);
    else if (ph.type === PT_LOAD && lAddr === 0) lAddr = m.u64(ph.at + 16);
    else if (ph.type === PT_TLS) throw new Error("glibc asserts: the vDSO has PT_TLS");
  }
  const bias = m.base - lAddr;
  const info = dynamicEntries(m, ld + bias);
  const pointer = (tag: number): number => (info.has(tag) ? bias + (info.get(tag) as number) : 0);
  const strtab = pointer(DT_STRTAB);
  const symtab = pointer(DT_SYMTAB);
  const versyms = pointer(DT_VERSYM);

  const versions = new Map<number, { hash: number; name: string }>();
  const verdef = pointer(DT_VERDEF);
  for (let ent = verdef; ent !== 0; ) {
    if ((m.u16(ent + 2) & VER_FLG_BASE) === 0) {
      versions.set(m.u16(ent + 4) & 0x7fff, { hash: m.u32(ent + 8), name: m.cstring(strtab + m.u32(ent + m.u32(ent + 12))) });
    }
    const next = m.u32(ent + 16);
    ent = next === 0 ? 0 : ent + next;
  }

  const checkMatch = (symidx: number): boolean => {
    const sym = symtab + 24 * symidx;
    const stt = m.u8(sym + 4) & 0xf;
    const shndx = m.u16(sym + 6);
    if (m.u64(sym + 8) === 0 && shndx !== SHN_ABS && stt !== 6) return false;
    if (![0, 1, 2, 5, 6, 10].includes(stt)) return false; // NOTYPE OBJECT FUNC COMMON TLS GNU_IFUNC
    if (m.cstring(strtab + m.u32(sym)) !== name) return false;
    if (versyms !== 0) {
      const v = versions.get(m.u16(versyms + 2 * symidx) & 0x7fff);
      if (v === undefined || v.hash !== versionHash || v.name !== version) return false;
    }
    const bind = m.u8(sym + 4) >> 4;
    const visibility = m.u8(sym + 5) & 3;
    return (bind === STB_GLOBAL || bind === STB_WEAK || bind === 10) && visibility !== 1 && visibility !== 2;
  };

  const gnu = table === "gnu" ? pointer(DT_GNU_HASH) : 0;
  if (gnu !== 0) {
    const nbuckets = m.u32(gnu);
    const symbias = m.u32(gnu + 4);
    const bitmaskNwords = m.u32(gnu + 8);
    if ((bitmaskNwords & (bitmaskNwords - 1)) !== 0) throw new Error("glibc asserts: bloom filter size is not a power of two");
    const shift = m.u32(gnu + 12);
    const bitmask = gnu + 16;
    const buckets = bitmask + 8 * bitmaskNwords;
    const chainZero = buckets + 4 * nbuckets - 4 * symbias;
    const h = gnuHashOf(name);
    const wordAt = bitmask + 8 * ((h >>> 6) & (bitmaskNwords - 1));
    const bit = (b: number): number => (b < 32 ? m.u32(wordAt) >>> b : m.u32(wordAt + 4) >>> (b - 32)) & 1;
    if ((bit(h & 63) & bit((h >>> shift) & 63)) === 0) return 0;
    const bucket = m.u32(buckets + 4 * (h % nbuckets));
    if (bucket === 0) return 0;
    for (let symidx = bucket; ; symidx++) {
      const entry = m.u32(chainZero + 4 * symidx);
      if (((entry ^ h) >>> 1) === 0 && checkMatch(symidx)) return bias + m.u64(symtab + 24 * symidx + 8);
      if ((entry & 1) !== 0) return 0;
    }
  }
  const hash = pointer(DT_HASH);
  const nbuckets = m.u32(hash);
  const buckets = hash + 8;
  const chain = buckets + 4 * nbuckets;
  for (let symidx = m.u32(buckets + 4 * (elfHash(name) % nbuckets)); symidx !== 0; symidx = m.u32(chain + 4 * symidx)) {
    if (checkMatch(symidx)) return bias + m.u64(symtab + 24 * symidx + 8);
  }
  return 0;
}
