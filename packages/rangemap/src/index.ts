export { RangeMap, RM_ABORT, RM_MATCH, RM_NOMATCH, type GapHandler, type NodeHandler, type RangeWalkResult } from "./range-map.js";
export { RangeNode } from "./range-node.js";
export {
  EMPTY_RANGE,
  pointInRange,
  range,
  rangeAdd,
  rangeContains,
  rangeDifference,
  rangeEmpty,
  rangeEqual,
  rangeIntersection,
  rangeLshift,
  rangeRshift,
  rangeRshiftPad,
  rangeSpan,
  rangesIntersect,
  rangeValid,
  type Range,
} from "./range.js";
