export { RbNode } from "./rb-node.js";
export { RbTree, type KeyCompare, type TraversalOrder } from "./rb-tree.js";
export { OrderedMap, naturalOrder } from "./ordered-map.js";
