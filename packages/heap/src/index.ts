// Public API of @nanots/heap: re-exports only.
