// Benchmarks of @nanots/x86 against its npm peers (see @nanots/bench-kit).
