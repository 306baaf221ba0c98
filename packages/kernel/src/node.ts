/**
 * `@nanots/kernel/node`: building boot images from host files.
 *
 * @module @nanots/kernel/node
 */
export { buildImage, imageManifest, type ImageSpec } from "./node/build-image.js";
