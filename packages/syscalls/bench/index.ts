// Benchmarks of @nanots/syscalls against its npm peers (see @nanots/bench-kit).
