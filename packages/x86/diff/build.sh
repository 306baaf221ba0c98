#!/bin/sh
# Builds the native differential-test harness (static, so it runs the same on any x86-64 Linux).
# The binary is not committed: capture runs on an x86-64 machine and builds it first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/.build"
gcc -O2 -static -Wall -Wextra -Werror -o "$here/.build/harness" "$here/harness.c"
echo "$here/.build/harness"
