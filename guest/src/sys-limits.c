/* sys-limits: getrlimit, setrlimit and prlimit64. A limit set is read back (soft and hard), a soft
 * limit above the hard one is EINVAL, and so is an unknown resource; bad pointers are EFAULT and
 * another process is ESRCH. The values themselves differ between systems and are not printed. */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>
#include "check.h"

#define BAD ((void *)1)

struct limit { unsigned long long cur, max; };

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct limit l, old, set;

    /* Every resource has a limit with soft <= hard. */
    int ordered = 1;
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        if (syscall(SYS_getrlimit, r, &l) != 0 || l.cur > l.max) ordered = 0;
    }
    CHECK(ordered);
    CHECK_ERR(syscall(SYS_getrlimit, RLIM_NLIMITS, &l), EINVAL);
    CHECK_ERR(syscall(SYS_getrlimit, -1, &l), EINVAL);
    CHECK_ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD), EFAULT);

    /* RLIMIT_NOFILE: lower the soft limit, read it back through each call, restore it. */
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &old));
    CHECK(old.cur >= 256);
    set = (struct limit){200, old.max};
    CHECK_OK(syscall(SYS_setrlimit, RLIMIT_NOFILE, &set));
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &l));
    CHECK(l.cur == 200 && l.max == old.max);
    struct rlimit lib;
    CHECK_OK(getrlimit(RLIMIT_NOFILE, &lib));
    CHECK_EQ(lib.rlim_cur, 200);
    /* prlimit64 returns the old limit while setting the new one, for pid 0 and this pid. */
    set.cur = 300;
    CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &set, &l));
    CHECK_EQ(l.cur, 200);
    CHECK_OK(syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, NULL, &l));
    CHECK_EQ(l.cur, 300);
    CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, NULL));
    /* Soft above hard is refused, and changes nothing. */
    set = (struct limit){old.max + 1, old.max};
    CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, &set), EINVAL);
    CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &set, &l), EINVAL);
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &l));
    CHECK_EQ(l.cur, 300);
    /* The hard limit can be lowered (for good: raising it needs privilege), and no one can raise
     * NOFILE past nr_open. */
    set = (struct limit){100, 150};
    CHECK_OK(syscall(SYS_setrlimit, RLIMIT_NOFILE, &set));
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &l));
    CHECK(l.cur == 100 && l.max == 150);
    set = (struct limit){RLIM_INFINITY, RLIM_INFINITY};
    CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, &set), EPERM);

    /* RLIMIT_STACK: soft limit set and read back; the hard limit stays. */
    struct limit stack;
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_STACK, &stack));
    set = (struct limit){4 << 20, stack.max};
    CHECK_OK(syscall(SYS_setrlimit, RLIMIT_STACK, &set));
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_STACK, &l));
    CHECK(l.cur == 4 << 20 && l.max == stack.max);
    CHECK_OK(syscall(SYS_setrlimit, RLIMIT_STACK, &stack));

    /* RLIMIT_CORE: 0 is always allowed. */
    set = (struct limit){0, 0};
    CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_CORE, &set, NULL));
    CHECK_OK(syscall(SYS_getrlimit, RLIMIT_CORE, &l));
    CHECK(l.cur == 0 && l.max == 0);

    /* Errors. */
    CHECK_ERR(syscall(SYS_setrlimit, 99, &stack), EINVAL);
    CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_STACK, BAD), EFAULT);
    CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_STACK, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_prlimit64, 0, 99, NULL, &l), EINVAL);
    CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, BAD, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD), EFAULT);
    CHECK_ERR(syscall(SYS_prlimit64, 0x7ffffff0, RLIMIT_NOFILE, NULL, &l), ESRCH);
    return check_done();
}
