// Benchmarks of @nanots/kernel: the guest benchmark programs natively, under qemu and in nanots.
import "./vm.js";
