// Public API of @nanots/x86: re-exports only.
