/* bench-int: an integer loop (xorshift, multiply, add, shifts, a data-dependent branch).
 * Argument: iterations (default 1000000). Prints a checksum so the loop cannot be removed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    uint64_t x = 88172645463325252ull, acc = 0;
    for (long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc += (x & 1) ? x * 3 : x >> 3;
        acc ^= (uint64_t)i;
    }
    printf("bench-int %ld iterations checksum %016llx\n", n, (unsigned long long)acc);
    return 0;
}
