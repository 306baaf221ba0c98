// Public API of @nanots/syscalls: re-exports only.
