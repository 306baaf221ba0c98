/* cat: copies standard input to standard output in small reads; exits 1 when the input is empty
 * (so a test can tell "no input" from "input copied"). */
#include <unistd.h>

int main(void)
{
    char buf[100];
    long n, total = 0;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        if (write(1, buf, (size_t)n) != n) return 2;
        total += n;
    }
    return total == 0 ? 1 : 0;
}
