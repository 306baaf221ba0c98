// Benchmarks of @nanots/cli against its npm peers (see @nanots/bench-kit).
