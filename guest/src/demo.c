/* demo: the program `npm run demo` boots. It shows where it runs (uname as Nanos reports it),
 * its arguments, a file read from the image, and some arithmetic, then exits 0. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct utsname u;
    if (uname(&u) != 0) { perror("uname"); return 1; }
    printf("Hello from a Linux x86-64 program running in the nanots VM!\n");
    printf("  kernel: %s %s (%s), pid %d\n", u.sysname, u.release, u.machine, (int)getpid());
    for (int i = 0; i < argc; i++) printf("  argv[%d] = %s\n", i, argv[i]);
    char buf[256];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) { buf[n] = 0; printf("  /proc/self/exe -> %s\n", buf); }
    unsigned long long a = 0, b = 1;
    for (int i = 0; i < 90; i++) { unsigned long long t = a + b; a = b; b = t; }
    printf("  fib(90) = %llu, 1/3 = %.17g\n", a, 1.0 / 3.0);
    return 0;
}
