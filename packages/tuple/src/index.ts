// Public API of @nanots/tuple: re-exports only.
