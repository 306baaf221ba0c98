// Public API of @nanots/virtio/node: the Node-only backends (files, node:crypto). Re-exports only.
export { FileBlockBackend, type FileBlockBackendOptions } from "./node/file-block-backend.js";
export { nodeEntropy } from "./node/node-entropy.js";
