// Public API of @nanots/kernel: re-exports only.
