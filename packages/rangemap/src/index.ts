import { y } from "@nanots/rbtree"; export const z = y + 1;
