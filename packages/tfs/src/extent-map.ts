import { RangeMap, RangeNode } from "@nanots/rangemap";
import type { Extent } from "./file-extents.js";
import { TfsError } from "./tfs-error.js";

/** An extent in a file's map: the range is the file sectors it covers. */
export class ExtentNode extends RangeNode implements Extent {
  disk: number;
  allocated: number;
  uninited: boolean;

  constructor(extent: Extent) {
    super(extent.fileSector, extent.fileSector + extent.length);
    this.disk = extent.disk;
    this.allocated = extent.allocated;
    this.uninited = extent.uninited;
  }

  /** First file sector covered. */
  get fileSector(): number {
    return this.start;
  }

  /** Sectors of file data. */
  get length(): number {
    return this.end - this.start;
  }
}

/**
 * A file's extents on a `@nanots/rangemap` keyed by file sector, as Nanos keeps them. Extents
 * with no data (length 0) hold space but cover nothing; they are kept aside.
 */
export class ExtentMap {
  readonly #map = new RangeMap<ExtentNode>();
  #empty: Extent[] = [];

  /**
   * The map of parsed extents.
   *
   * @throws {@link TfsError} when two extents of the file cover the same sectors.
   */
  static from(extents: readonly Extent[], path: string): ExtentMap {
    const map = new ExtentMap();
    for (const e of extents) {
      if (!map.#add(e)) throw new TfsError(`file ${path}: extents overlap at file sector ${e.fileSector}`);
    }
    return map;
  }

  /** Every extent, data-carrying ones in file order first. */
  all(): Extent[] {
    return [...this.#map, ...this.#empty];
  }

  /** The extents with data in file sectors [from, to), in order (a copy: safe to change the map). */
  overlapping(from: number, to: number): ExtentNode[] {
    return from < to ? [...this.#map.overlapping(from, to)] : [];
  }

  /** The extent holding file sector `sector`, if any. */
  at(sector: number): ExtentNode | undefined {
    return this.#map.lookup(sector);
  }

  /** The extent that ends right before file sector `sector`, if any. */
  endingAt(sector: number): ExtentNode | undefined {
    const e = sector > 0 ? this.#map.lookup(sector - 1) : undefined;
    return e !== undefined && e.end === sector ? e : undefined;
  }

  /** Adds an extent over sectors no other one covers. */
  add(extent: Extent): void {
    if (!this.#add(extent)) throw new RangeError(`extent at file sector ${extent.fileSector} overlaps another`);
  }

  /** Removes an extent. */
  remove(node: ExtentNode): void {
    this.#map.remove(node);
  }

  /** Lengthens an extent by `sectors` of data (and allocation) right after it. */
  grow(node: ExtentNode, sectors: number): void {
    if (!this.#map.reinsert(node, node.start, node.end + sectors)) throw new RangeError(`extent at file sector ${node.start} cannot grow`);
    node.allocated += sectors;
  }

  #add(extent: Extent): boolean {
    if (extent.length === 0) {
      this.#empty.push(extent);
      return true;
    }
    return this.#map.insert(new ExtentNode(extent));
  }
}
