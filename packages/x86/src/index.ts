// Public API of @nanots/x86: re-exports only.
export * from "./decoder/index.js";
export * from "./disasm/index.js";
export * from "./cpu/index.js";
