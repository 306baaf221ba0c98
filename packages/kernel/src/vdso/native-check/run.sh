#!/bin/sh
# Native check that real C libraries and Go accept the vDSO buildVdso makes: each test program
# runs under strace with our image as its AT_SYSINFO_EHDR, and every clock_gettime it makes
# must come from an address inside our image. A negative control (version LINUX_2.5, which
# musl and Go must refuse) shows the check can fail. Needs gcc, musl-gcc, go, strace, ptrace.
# Usage: sh packages/kernel/src/vdso/native-check/run.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kernel=$(cd "$here/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

(cd "$kernel" && node --conditions=@nanots/source --import tsx "$here/write-vdso.ts" "$out/vdso.so")
(cd "$kernel" && node --conditions=@nanots/source --import tsx "$here/write-vdso.ts" "$out/wrong.so" LINUX_2.5)
gcc -O1 -o "$out/vexec" "$here/vexec.c"
gcc -O1 -static -no-pie -o "$out/glibc-static" "$here/clocks.c"
gcc -O1 -no-pie -o "$out/glibc-dynamic" "$here/clocks.c"
musl-gcc -O1 -static -no-pie -o "$out/musl-static" "$here/clocks.c"
(cd "$here" && CGO_ENABLED=0 GOCACHE="$out/gocache" go build -o "$out/go-static" clocks.go)

# check IMAGE PROGRAM EXPECT: EXPECT is "vdso" (all clock_gettime calls from the image) or "libc" (none).
check() {
  strace -f -i -e trace=clock_gettime,gettimeofday,time,getcpu,clock_getres -o "$out/trace" \
    "$out/vexec" "$out/$1" "$out/$2" >"$out/stdout" 2>"$out/stderr"
  node -e '
    const [stderr, trace, expect, name] = process.argv.slice(1);
    const [lo, hi] = /vDSO at (0x[0-9a-f]+)\.\.(0x[0-9a-f]+)/.exec(stderr).slice(1).map(BigInt);
    const count = {}; let total = 0, good = 0;
    for (const [, rip, call] of trace.matchAll(/\[([0-9a-f]{16})\] ([a-z_]+)\(/g)) {
      const where = BigInt("0x" + rip) >= lo && BigInt("0x" + rip) < hi ? "vdso" : "libc";
      count[call + " from " + where] = (count[call + " from " + where] ?? 0) + 1;
      if (call === "clock_gettime") { total++; if (where === expect) good++; }
    }
    const ok = total > 0 && good === total;
    console.log(`${ok ? "PASS" : "FAIL"} ${name.padEnd(28)} expect ${expect}: ${Object.entries(count).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    process.exit(ok ? 0 : 1);
  ' "$(cat "$out/stderr")" "$(cat "$out/trace")" "$3" "$2 with $1"
}

status=0
for program in glibc-static glibc-dynamic musl-static go-static; do check vdso.so "$program" vdso || status=1; done
for program in musl-static go-static; do check wrong.so "$program" libc || status=1; done
exit $status
