/* bench-mem: memcpy and memset between two 64 KiB buffers. Argument: iterations (default
 * 2000). Prints a checksum of the final buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000;
    enum { SIZE = 65536 };
    static unsigned char a[SIZE], b[SIZE];
    for (int i = 0; i < SIZE; i++)
        a[i] = (unsigned char)(i * 13);
    for (long i = 0; i < n; i++) {
        size_t off = (size_t)(i * 61) % 4096;
        memcpy(b + off, a, SIZE - off);
        memset(a + (i % 1024), (int)i, 64);
        memcpy(a, b + 1, SIZE - 1);
    }
    uint64_t sum = 0;
    for (int i = 0; i < SIZE; i++)
        sum = sum * 31 + b[i];
    printf("bench-mem %ld iterations checksum %016llx\n", n, (unsigned long long)sum);
    return 0;
}
