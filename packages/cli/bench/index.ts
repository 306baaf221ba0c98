// @nanots/cli has no benchmarks of its own: mkfs and dump throughput is measured by @nanots/tfs (packages/tfs/bench).
