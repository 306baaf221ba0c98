#!/bin/sh
# Times the benchmark programs natively and, when installed, under qemu-x86_64 (user mode),
# the two baselines nanots is compared with. Prints one line per program and runner:
#   <prog> <runner> <iterations> <ms> <iterations per second>
# Usage: guest/bench-native.sh [musl|glibc] [scale]   (scale multiplies the iteration counts)
set -eu
cd "$(dirname "$0")"
flavour=${1:-musl}
scale=${2:-1}

iterations_for() {
    case "$1" in
        bench-int) echo $((20000000 * scale)) ;;
        bench-call) echo $((5000000 * scale)) ;;
        bench-mem) echo $((50000 * scale)) ;;
        bench-float) echo $((10000000 * scale)) ;;
        bench-syscall) echo $((200000 * scale)) ;;
        bench-startup) echo 1 ;;
    esac
}

now_ns() { date +%s%N; }

run_timed() { # runner prog iterations
    start=$(now_ns)
    if [ "$1" = native ]; then
        "bin/$flavour/$2" "$3" >/dev/null
    else
        qemu-x86_64 "bin/$flavour/$2" "$3" >/dev/null
    fi
    end=$(now_ns)
    ms=$(( (end - start) / 1000000 ))
    [ "$ms" -gt 0 ] || ms=1
    echo "$2 $1 $3 ${ms}ms $(( $3 * 1000 / ms ))/s"
}

runners=native
command -v qemu-x86_64 >/dev/null && runners="native qemu"
for prog in bench-int bench-call bench-mem bench-float bench-syscall bench-startup; do
    n=$(iterations_for "$prog")
    for runner in $runners; do
        run_timed "$runner" "$prog" "$n"
    done
done
