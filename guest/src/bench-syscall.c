/* bench-syscall: many cheap system calls: getpid (through syscall(2), so libc cannot cache it)
 * and 1-byte writes to /dev/null. Argument: iterations (default 20000). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000;
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) {
        perror("open /dev/null");
        return 1;
    }
    long pids_ok = 0, written = 0;
    long pid = syscall(SYS_getpid);
    for (long i = 0; i < n; i++) {
        pids_ok += syscall(SYS_getpid) == pid;
        written += write(fd, "x", 1);
    }
    close(fd);
    printf("bench-syscall %ld iterations getpid stable %s written %ld\n", n,
           pids_ok == n ? "yes" : "no", written);
    return pids_ok == n && written == n ? 0 : 1;
}
