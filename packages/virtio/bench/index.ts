// Benchmarks of @nanots/virtio against its npm peers (see @nanots/bench-kit).
