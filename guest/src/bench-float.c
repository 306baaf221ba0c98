/* bench-float: double arithmetic (multiply-add, divide, sqrt) in a loop. Argument:
 * iterations (default 1000000). Prints the result with %.17g. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    double x = 0.5, y = 1.25, acc = 0.0;
    for (long i = 0; i < n; i++) {
        x = x * 1.000001 + 0.000001;
        y = y / 1.0000003 + sqrt(x) * 1e-9;
        acc += x * y - (double)i * 1e-12;
    }
    printf("bench-float %ld iterations result %.17g\n", n, acc);
    return 0;
}
