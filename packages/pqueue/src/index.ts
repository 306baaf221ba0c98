export { PriorityQueue, type Compare, type Predicate } from "./priority-queue.js";
export { NumericPriorityQueue } from "./numeric-priority-queue.js";
