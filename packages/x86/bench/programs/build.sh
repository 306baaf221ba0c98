#!/bin/sh
# Assembles every benchmark program twice: flat code (NAME.bin, run by the emulated CPU) and a
# static Linux executable (NAME.elf, timed natively and under qemu). Needs nasm and ld.
set -eu
cd "$(dirname "$0")"
for src in *.asm; do
  name=${src%.asm}
  nasm -f bin -o "$name.bin" "$src"
  nasm -f elf64 -DELF -o "$name.o" "$src"
  ld -static -o "$name.elf" "$name.o"
  rm "$name.o"
done
