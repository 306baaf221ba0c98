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
  /** @internal */ red = false;

  constructor(key: K) {
    this.key = key;
  }
}
