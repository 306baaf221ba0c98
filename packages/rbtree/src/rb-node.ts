/**
 * A node of an {@link RbTree}. Intrusive, as in Nanos: subclass it (or use it as is) and insert
 * the node itself; the tree links nodes through these fields and never allocates.
 *
 * The link fields are managed by the tree; read them, never write them.
 */
export class RbNode<K> {
  key: K;
  /** @internal */ left: RbNode<K> | null = null;
  /** @internal */ right: RbNode<K> | null = null;
  /** @internal */ parent: RbNode<K> | null = null;
  // Colours live on the links, in the parent (as in Sedgewick's description of LLRB): a node's
  // own colour is its parent's flag for it, so re-balancing reads only nodes on the path.
  /** @internal */ leftRed = false;
  /** @internal */ rightRed = false;

  constructor(key: K) {
    this.key = key;
  }
}
