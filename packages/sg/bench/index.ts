// Benchmarks of @nanots/sg against its npm peers (see @nanots/bench-kit).
