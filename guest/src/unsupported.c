/* unsupported: calls syscalls the kernel must refuse with ENOSYS and prints the errno text:
 * a made-up number, and tuxcall / afs_syscall / security (in Nanos's unsupported list, and
 * unimplemented by Linux too, so the native run prints the same). Exit 0 when all gave ENOSYS. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    const struct { long nr; const char *name; } calls[] = {
        { 1000, "made-up 1000" }, { 0x7fffffff, "made-up 0x7fffffff" },
        { SYS_tuxcall, "tuxcall" }, { SYS_afs_syscall, "afs_syscall" }, { SYS_security, "security" },
    };
    int wrong = 0;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        errno = 0;
        long r = syscall(calls[i].nr, 1, 2, 3, 4, 5, 6);
        int e = errno;
        printf("syscall %ld (%s) = %ld errno %d (%s)\n", calls[i].nr, calls[i].name, r, e, strerror(e));
        wrong += !(r == -1 && e == ENOSYS);
    }
    printf("%s\n", wrong ? "FAIL: some did not return ENOSYS" : "all returned ENOSYS");
    return wrong;
}
