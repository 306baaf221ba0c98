// Benchmarks of @nanots/pqueue against its npm peers (see @nanots/bench-kit).
