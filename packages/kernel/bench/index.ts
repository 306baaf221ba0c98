// Benchmarks of @nanots/kernel against its npm peers (see @nanots/bench-kit).
