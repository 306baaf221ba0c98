// Benchmarks of @nanots/heap against its npm peers (see @nanots/bench-kit).
