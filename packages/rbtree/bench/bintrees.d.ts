// Minimal types for the untyped `bintrees` peer, as the benchmark uses it.
declare module "bintrees" {
  export class RBTree<T> {
    constructor(compare: (a: T, b: T) => number);
    insert(item: T): boolean;
    remove(item: T): boolean;
    find(item: T): T | null;
    size: number;
  }
}
