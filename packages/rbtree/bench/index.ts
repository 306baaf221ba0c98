// Benchmarks of @nanots/rbtree against its npm peers (see @nanots/bench-kit).
