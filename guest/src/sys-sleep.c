/* sys-sleep: nanosleep and clock_nanosleep (relative and TIMER_ABSTIME, on the realtime and
 * monotonic clocks): each sleeps at least as long as asked, a deadline in the past returns at
 * once, and bad times, clocks and pointers are refused. Only "at least" is checked, never "at
 * most": the machine may be slow. */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define BAD ((void *)1)
#define MS 1000000LL

static long long now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct timespec span(long long ns) {
    struct timespec t = {ns / 1000000000LL, ns % 1000000000LL};
    return t;
}

int main(int argc, char **argv) {
    scratch(argc, argv);

    /* nanosleep: at least the time asked; rem is only written when interrupted. */
    struct timespec req = span(20 * MS), rem = {77, 77};
    long long start = now(CLOCK_MONOTONIC);
    CHECK_EQ(syscall(SYS_nanosleep, &req, &rem), 0);
    CHECK(now(CLOCK_MONOTONIC) - start >= 20 * MS);
    CHECK(rem.tv_sec == 77 && rem.tv_nsec == 77);
    req = span(0);
    CHECK_EQ(syscall(SYS_nanosleep, &req, NULL), 0);
    req.tv_nsec = 1000000000;
    CHECK_ERR(syscall(SYS_nanosleep, &req, NULL), EINVAL);
    req.tv_nsec = -1;
    CHECK_ERR(syscall(SYS_nanosleep, &req, NULL), EINVAL);
    req.tv_sec = -1;
    req.tv_nsec = 0;
    CHECK_ERR(syscall(SYS_nanosleep, &req, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_nanosleep, BAD, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_nanosleep, NULL, NULL), EFAULT);

    /* clock_nanosleep, relative, on each clock it sleeps on. */
    static const clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME};
    for (unsigned i = 0; i < 2; i++) {
        clockid_t c = clocks[i];
        req = span(15 * MS);
        start = now(c);
        CHECK_EQ(syscall(SYS_clock_nanosleep, c, 0, &req, NULL), 0);
        CHECK(now(c) - start >= 15 * MS);
        /* Absolute: until the clock reads the deadline. */
        long long deadline = now(c) + 15 * MS;
        req = span(deadline);
        CHECK_EQ(syscall(SYS_clock_nanosleep, c, TIMER_ABSTIME, &req, NULL), 0);
        CHECK(now(c) >= deadline);
        /* A deadline already past returns at once. */
        req = span(now(c) / 2);
        CHECK_EQ(syscall(SYS_clock_nanosleep, c, TIMER_ABSTIME, &req, NULL), 0);
        req = span(1);
        CHECK_EQ(syscall(SYS_clock_nanosleep, c, TIMER_ABSTIME, &req, NULL), 0);
    }
    /* The C library's wrapper returns the error number instead of setting errno. */
    req = span(1 * MS);
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
    req.tv_nsec = 1000000000;
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);

    /* Errors: bad times and pointers. */
    req.tv_nsec = 1000000000;
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &req, NULL), EINVAL);
    req.tv_nsec = -5;
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, NULL, NULL), EFAULT);
    /* Bad clocks, checked before the time: no such clock, and one nobody can sleep on. */
    req.tv_sec = 0;
    req.tv_nsec = 1000;
    CHECK_ERR(syscall(SYS_clock_nanosleep, 99, 0, &req, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_clock_nanosleep, 99, 0, BAD, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EOPNOTSUPP);
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &req, NULL), EOPNOTSUPP);
    CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, BAD, NULL), EOPNOTSUPP);
    return check_done();
}
