// Public API of @nanots/tfs: re-exports only.
