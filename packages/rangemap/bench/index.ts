// Benchmarks of @nanots/rangemap against its npm peers (see @nanots/bench-kit).
