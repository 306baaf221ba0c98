/* hello: the smallest useful guest. Checks stdout, stderr and a non-zero exit code (3). */
#include <stdio.h>

int main(void)
{
    printf("hello from a nanots guest\n");
    fprintf(stderr, "hello on stderr\n");
    return 3;
}
