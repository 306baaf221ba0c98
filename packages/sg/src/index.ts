export { SgList } from "./sg-list.js";
export { liveBytes, liveLength, type SgBuf } from "./sg-buf.js";
export { RefCount } from "./ref-count.js";
