#!/bin/sh
# Assembles every NAME.asm in a folder (default: this one) twice: flat code (NAME.bin, for the
# emulated CPU) and a static Linux executable (NAME.elf, for the host CPU). Here programs.test.ts
# runs both; bench/programs/build.sh uses this script for the benchmark programs.
# Some programs are generated: run their gen-*.py first when changing those. Needs nasm and ld.
set -eu
cd "${1:-$(dirname "$0")}"
for src in *.asm; do
  name=${src%.asm}
  nasm -f bin -o "$name.bin" "$src"
  nasm -f elf64 -DELF -o "$name.o" "$src"
  ld -static -o "$name.elf" "$name.o"
  rm "$name.o"
done
