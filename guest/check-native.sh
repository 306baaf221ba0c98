#!/bin/sh
# Runs every committed guest binary natively (on an x86-64 Linux host) and prints one line per
# run: "<dir>/<prog> exit <code>". A program killed by a signal shows as 128+signal (segv: 139).
# The arguments each program gets are the ones listed below; tests compare these exit codes
# (and the programs' output) with runs inside nanots.
set -u
cd "$(dirname "$0")"
tmp=${TMPDIR:-/tmp}
# The sys-* programs each get a fresh scratch directory in here.
scratch=$(mktemp -d "$tmp/nanots-check-native-XXXXXX")

args_for() {
    case "$1" in
        args) echo "one two three" ;;
        files) echo "src/hello.c" ;;
        write) echo "$tmp" ;;
        bench-*) echo "1000" ;;
        sys-*) mktemp -d "$scratch/XXXXXX" ;;
        *) echo "" ;;
    esac
}

for dir in bin/musl bin/glibc bin/glibc-dynamic bin/glibc-static-pie; do
    for bin in "$dir"/*; do
        [ -f "$bin" ] || continue
        prog=$(basename "$bin")
        # shellcheck disable=SC2046 # word splitting of the argument list is intended
        echo "input for cat" | NANOTS_MODE=native "$bin" $(args_for "$prog") >/dev/null 2>&1
        echo "$dir/$prog exit $?"
    done
done
rm -rf "$scratch"
