/**
 * `@nanots/tfs/node`: the Node-only parts (host image files, mkfs host reader, dump -d).
 *
 * @module @nanots/tfs/node
 */
export { FileBlockDevice, type FileBlockDeviceOptions } from "./node/file-block-device.js";
export { nodeMkfsHost, type NodeMkfsHostOptions } from "./node/node-mkfs-host.js";
export { extractTo } from "./node/extract.js";
