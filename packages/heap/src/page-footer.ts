import type { Heap } from "./heap.js";

/** The footer magic Nanos writes at the end of every objcache page. */
export const FOOTER_MAGIC = 0xcafe;

/**
 * The per-page record Nanos keeps in a footer at the end of each objcache page. Without raw
 * memory it lives in a {@link FooterTable} keyed by page address; the objects still occupy only
 * the bytes before the footer.
 */
export interface PageFooter {
  magic: number;
  /** The heap named as owner (the objcache, or its wrapper). */
  owner: Heap;
  /** Size of the page's objects. */
  readonly objsize: number;
  /** Page address. */
  readonly base: number;
  /** Freed object indexes, reused last-in first-out. */
  readonly freeChain: number[];
  /** Index of the next never-used object. */
  nextNew: number;
  /** Objects available on this page: free chain plus never used. */
  avail: number;
  /** One byte per object: 1 while allocated (catches double frees). */
  readonly used: Uint8Array;
  /** Which page list holds it. */
  list: "free" | "full";
  prev: PageFooter | undefined;
  next: PageFooter | undefined;
}

/** Page address → footer: the "memory" in which objcaches find footers by masking an address. */
export class FooterTable {
  private readonly footers = new Map<number, PageFooter>();

  /** The footer of the page of `pagesize` bytes holding `address`, if one is recorded with the right magic. */
  find(address: number, pagesize: number): PageFooter | undefined {
    const footer = this.footers.get(Math.floor(address / pagesize) * pagesize);
    return footer !== undefined && footer.magic === FOOTER_MAGIC ? footer : undefined;
  }

  set(footer: PageFooter): void {
    this.footers.set(footer.base, footer);
  }

  delete(base: number): void {
    this.footers.delete(base);
  }
}

/** The table used when a cache is given none. */
export const sharedFooters = new FooterTable();
