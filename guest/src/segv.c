/* segv: writes through a NULL pointer and must die of SIGSEGV (a shell reports exit 139).
 * It prints (and flushes) what it is about to do first, so a hang or a silent exit shows. */
#include <stdio.h>

int main(void)
{
    volatile int *nowhere = (volatile int *)0;
    printf("writing to NULL: this process must be killed by SIGSEGV\n");
    fflush(stdout);
    *nowhere = 42;
    printf("FAIL: the write to NULL did not fault\n");
    return 1;
}
