// Benchmarks of @nanots/tfs against its npm peers (see @nanots/bench-kit).
