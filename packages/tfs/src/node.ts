// Node-only API of @nanots/tfs (host files): re-exports only.
export { FileBlockDevice, type FileBlockDeviceOptions } from "./node/file-block-device.js";
export { nodeMkfsHost, type NodeMkfsHostOptions } from "./node/node-mkfs-host.js";
export { extractTo } from "./node/extract.js";
