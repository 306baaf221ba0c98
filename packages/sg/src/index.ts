// Public API of @nanots/sg: re-exports only.
