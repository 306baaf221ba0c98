/* bench-call: function calls and returns (a non-inlined recursive fib and a call through a
 * function pointer). Argument: iterations (default 200000). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static long fib(long k)
{
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

__attribute__((noinline)) static long step(long a, long b) { return a * 3 + b; }

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    long (*volatile fn)(long, long) = step;
    long acc = 0;
    for (long i = 0; i < n; i++)
        acc = fn(acc, i) & 0xffffffff;
    acc += fib(10 + (n > 0 ? n % 3 : 0)) * (n / 1000);
    printf("bench-call %ld iterations result %ld\n", n, acc);
    return 0;
}
