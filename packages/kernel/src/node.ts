/**
 * `@nanots/kernel/node`: building boot images from host files.
 *
 * @module @nanots/kernel/node
 */
export { buildImage, imageManifest, programDependencies, type ImageSpec } from "./node/build-image.js";
export { resolveLibraries, type ResolvedLibrary } from "./node/resolve-libraries.js";
