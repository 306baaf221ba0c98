// Benchmarks of @nanots/tuple against its npm peers (see @nanots/bench-kit).
