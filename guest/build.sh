#!/bin/sh
# Rebuilds the guest programs from src/*.c (all of them, or only the ones named:
# `./build.sh sys-dup sys-time` rebuilds just those two, in both libcs):
#   bin/musl/<prog>           static, musl-gcc -static -O2
#   bin/glibc/<prog>          static, gcc -static -O2
#   bin/glibc-dynamic/hello   dynamic glibc (needs the interpreter and libc.so in the image)
#   bin/glibc-static-pie/{hello,auxv}  static-PIE glibc: ET_DYN without an interpreter
# Binaries are stripped and committed, so tests need no compiler. Needs musl-tools and gcc;
# readelf/ gets binutils' description of each binary when readelf is installed.
set -eu
cd "$(dirname "$0")"

CFLAGS="-O2 -Wall -Wextra -Wno-unused-parameter -fno-asynchronous-unwind-tables"
for cc in musl-gcc gcc; do
    command -v "$cc" >/dev/null || { echo "build.sh: $cc not found (apt-get install musl-tools gcc)" >&2; exit 1; }
done

mkdir -p bin/musl bin/glibc bin/glibc-dynamic bin/glibc-static-pie
# One program, both libcs: stripped, and described by readelf for the ELF parser's tests.
build_static() {
    prog=$1
    musl-gcc -static $CFLAGS -o "bin/musl/$prog" "src/$prog.c" -lm -lpthread -lrt
    gcc -static $CFLAGS -o "bin/glibc/$prog" "src/$prog.c" -lm -lpthread -lrt
    strip --strip-all "bin/musl/$prog" "bin/glibc/$prog"
    describe "bin/musl/$prog" "bin/glibc/$prog"
}
describe() {
    command -v readelf >/dev/null || return 0
    for bin in "$@"; do
        mkdir -p "readelf/$(dirname "${bin#bin/}")"
        LC_ALL=C readelf -hlW "$bin" >"readelf/${bin#bin/}.txt"
    done
}
if [ $# -gt 0 ]; then
    for prog in "$@"; do
        [ -f "src/$prog.c" ] || { echo "build.sh: no src/$prog.c" >&2; exit 1; }
        build_static "$prog"
    done
    exit 0
fi
for src in src/*.c; do
    build_static "$(basename "$src" .c)"
done
gcc $CFLAGS -o bin/glibc-dynamic/hello src/hello.c
for prog in hello auxv; do
    gcc -static-pie $CFLAGS -o "bin/glibc-static-pie/$prog" "src/$prog.c"
done
# A Go program (golang-go): static, no cgo, as Go programs are deployed on Nanos.
if command -v go >/dev/null; then
    mkdir -p bin/go
    for prog in hello features net; do
        (cd "go/$prog" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "../../bin/go/$prog" .)
    done
else
    echo "build.sh: go not found (apt-get install golang-go); keeping bin/go" >&2
fi
strip --strip-all bin/glibc-dynamic/* bin/glibc-static-pie/*
# readelf's view of every binary: the ELF parser's tests compare against it (no binutils needed).
describe bin/glibc-dynamic/* bin/glibc-static-pie/*
du -ch bin/*/* | tail -n 1
