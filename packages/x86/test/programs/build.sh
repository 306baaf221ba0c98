#!/bin/sh
# Assembles every self-checking program twice: flat code (NAME.bin, run in the emulated CPU by
# programs.test.ts) and a static Linux executable (NAME.elf, run on the host CPU by the same test).
# alu-flags.asm and division.asm are generated: run gen-alu-flags.py and gen-division.py first
# when changing them. Needs nasm and ld.
set -eu
cd "$(dirname "$0")"
for src in *.asm; do
  name=${src%.asm}
  nasm -f bin -o "$name.bin" "$src"
  nasm -f elf64 -DELF -o "$name.o" "$src"
  ld -static -o "$name.elf" "$name.o"
  rm "$name.o"
done
