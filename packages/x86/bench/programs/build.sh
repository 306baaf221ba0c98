#!/bin/sh
# Assembles every benchmark program twice: flat code (NAME.bin, run by the emulated CPU) and a
# static Linux executable (NAME.elf, timed natively and under qemu). Needs nasm and ld.
here=$(dirname "$0")
exec "$here/../../test/programs/build.sh" "$here"
