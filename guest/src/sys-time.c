/* sys-time: clocks. clock_gettime on every clock Linux programs use (through the C library, which
 * may take the vDSO, and as a raw syscall), clock_getres, gettimeofday, time, times, getrusage and
 * sysinfo. Times differ between runs, so only their invariants are checked: ranges, ordering,
 * agreement between clocks and paths; and every error return. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include "check.h"

#define BAD ((void *)1)

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

static int valid(struct timespec t) { return t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000; }

/* A clock read through the C library and as a raw syscall. */
static long long libc_now(clockid_t clock) {
    struct timespec t = {-1, -1};
    if (clock_gettime(clock, &t) != 0 || !valid(t)) return -1;
    return ns(t);
}
static long long sys_now(clockid_t clock) {
    struct timespec t = {-1, -1};
    if (syscall(SYS_clock_gettime, clock, &t) != 0 || !valid(t)) return -1;
    return ns(t);
}

/* Reads `clock` many times, both ways, and checks it never goes backwards. */
static int never_backwards(clockid_t clock) {
    long long last = libc_now(clock);
    if (last < 0) return 0;
    for (int i = 0; i < 300; i++) {
        long long a = sys_now(clock), b = libc_now(clock);
        if (a < last || b < a) return 0;
        last = b;
    }
    return 1;
}

/* Burns some CPU so CPU-time clocks move. */
static volatile unsigned long sink;
static void spin(void) {
    for (unsigned long i = 0; i < 2000000; i++) sink += i ^ (sink >> 3);
}

/* A thread that mostly sleeps: its own CPU time, read at its end. */
static long long sleeper_cpu;
static void *sleeper(void *arg) {
    struct timespec t = {0, 30 * 1000000};
    nanosleep(&t, NULL);
    sleeper_cpu = sys_now(CLOCK_THREAD_CPUTIME_ID);
    return arg;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct timespec ts;

    /* Every clock reads a valid timespec, the same way through libc and the syscall. */
    static const struct { clockid_t id; const char *name; } clocks[] = {
        {CLOCK_REALTIME, "REALTIME"}, {CLOCK_MONOTONIC, "MONOTONIC"},
        {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"}, {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
        {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"}, {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"},
        {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"}, {CLOCK_BOOTTIME, "BOOTTIME"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        char what[80];
        snprintf(what, sizeof what, "CLOCK_%s reads and never goes backwards", clocks[i].name);
        check_report(never_backwards(clocks[i].id), what, __FILE__, __LINE__, "a read failed or went backwards");
        struct timespec res = {-1, -1};
        snprintf(what, sizeof what, "CLOCK_%s has a resolution of 1 ns to 10 ms", clocks[i].name);
        int ok = clock_getres(clocks[i].id, &res) == 0 && res.tv_sec == 0 && res.tv_nsec >= 1 && res.tv_nsec <= 10000000;
        check_report(ok, what, __FILE__, __LINE__, "bad resolution");
    }
    /* The fine clocks resolve nanoseconds. */
    CHECK_OK(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts));
    CHECK(ts.tv_sec == 0 && ts.tv_nsec == 1);
    CHECK_OK(syscall(SYS_clock_getres, CLOCK_REALTIME, NULL));

    /* Clocks agree with each other. */
    long long m1 = sys_now(CLOCK_MONOTONIC), boot = sys_now(CLOCK_BOOTTIME), coarse = sys_now(CLOCK_MONOTONIC_COARSE);
    long long m2 = sys_now(CLOCK_MONOTONIC);
    CHECK(boot >= m1);
    CHECK(coarse <= m2);
    long long r1 = sys_now(CLOCK_REALTIME), rcoarse = sys_now(CLOCK_REALTIME_COARSE);
    long long r2 = sys_now(CLOCK_REALTIME);
    CHECK(rcoarse <= r2);
    CHECK(r1 > 1600000000LL * 1000000000LL); /* after 2020 */
    /* Process CPU time covers at least this thread's, and both grow while computing. */
    long long p1 = sys_now(CLOCK_PROCESS_CPUTIME_ID), t1 = sys_now(CLOCK_THREAD_CPUTIME_ID);
    spin();
    long long t2 = sys_now(CLOCK_THREAD_CPUTIME_ID), p2 = sys_now(CLOCK_PROCESS_CPUTIME_ID);
    CHECK(t2 > t1);
    CHECK(p2 > p1);
    CHECK(p2 >= t2);
    CHECK(p2 - p1 <= sys_now(CLOCK_MONOTONIC) - m1);
    /* CPU-time clocks of this process and thread by id (negative clock ids). */
    clockid_t cid;
    CHECK_EQ(clock_getcpuclockid(0, &cid), 0);
    CHECK(cid < 0 && sys_now(cid) >= p2);
    CHECK_EQ(pthread_getcpuclockid(pthread_self(), &cid), 0);
    CHECK(cid < 0 && sys_now(cid) >= t2);

    /* Bad clocks and pointers. */
    CHECK_ERR(syscall(SYS_clock_gettime, 10, &ts), EINVAL); /* CLOCK_SGI_CYCLE is gone */
    CHECK_ERR(syscall(SYS_clock_gettime, 12, &ts), EINVAL);
    CHECK_ERR(syscall(SYS_clock_gettime, 1000, &ts), EINVAL);
    CHECK_ERR(syscall(SYS_clock_gettime, -8 | 3, &ts), EINVAL); /* (~pid << 3) | 3: a CPU clock of no known kind */
    CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD), EFAULT);
    CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_REALTIME, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_clock_getres, 1000, &ts), EINVAL);
    CHECK_ERR(syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD), EFAULT);

    /* gettimeofday sits between two CLOCK_REALTIME reads, both ways. */
    struct timeval tv = {-1, -1};
    r1 = sys_now(CLOCK_REALTIME);
    CHECK_OK(gettimeofday(&tv, NULL));
    r2 = sys_now(CLOCK_REALTIME);
    long long tv_us = tv.tv_sec * 1000000LL + tv.tv_usec;
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    CHECK(r1 / 1000 <= tv_us && tv_us <= r2 / 1000);
    CHECK_OK(syscall(SYS_gettimeofday, &tv, NULL));
    CHECK(tv.tv_sec * 1000000LL + tv.tv_usec >= tv_us);
    struct timezone tz;
    CHECK_OK(syscall(SYS_gettimeofday, &tv, &tz));
    CHECK_OK(syscall(SYS_gettimeofday, NULL, NULL));
    CHECK_ERR(syscall(SYS_gettimeofday, BAD, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_gettimeofday, &tv, BAD), EFAULT);

    /* time: seconds of the realtime clock, returned and stored. Linux reads its coarse copy, which
     * may lag CLOCK_REALTIME by a tick, so it is bounded by CLOCK_REALTIME_COARSE from below. */
    time_t before = sys_now(CLOCK_REALTIME_COARSE) / 1000000000;
    time_t stored = -1;
    time_t t = syscall(SYS_time, &stored);
    time_t after = sys_now(CLOCK_REALTIME) / 1000000000;
    CHECK(before <= t && t <= after);
    CHECK_EQ(stored, t);
    t = syscall(SYS_time, NULL);
    CHECK(t >= stored && t <= after + 1);
    CHECK(time(NULL) >= t);
    CHECK_ERR(syscall(SYS_time, BAD), EFAULT);

    /* times: ticks since an arbitrary point, never going back; no children. */
    struct tms tms = {-1, -1, -1, -1};
    long c1 = syscall(SYS_times, &tms);
    CHECK(tms.tms_utime >= 0 && tms.tms_stime >= 0);
    CHECK_EQ(tms.tms_cutime, 0);
    CHECK_EQ(tms.tms_cstime, 0);
    spin();
    long c2 = syscall(SYS_times, NULL);
    CHECK(c2 >= c1);
    CHECK_ERR(syscall(SYS_times, BAD), EFAULT);

    /* getrusage: this process and thread used some CPU time; there are no children. */
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    CHECK_OK(getrusage(RUSAGE_SELF, &ru));
    CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
    CHECK(ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
    CHECK(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec > 0);
    CHECK(ru.ru_maxrss > 0);
    long long self_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    CHECK(self_us * 1000 <= sys_now(CLOCK_PROCESS_CPUTIME_ID) + 1000);
    memset(&ru, 0xff, sizeof ru);
    CHECK_OK(getrusage(RUSAGE_THREAD, &ru));
    CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
    memset(&ru, 0xff, sizeof ru);
    CHECK_OK(getrusage(RUSAGE_CHILDREN, &ru));
    /* No children were waited for here, so it does not change (Linux carries over what the
     * process reaped before an exec, so it need not be zero; Nanos reports zero). */
    struct rusage again;
    CHECK_OK(getrusage(RUSAGE_CHILDREN, &again));
    CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
    CHECK(ru.ru_utime.tv_sec == again.ru_utime.tv_sec && ru.ru_utime.tv_usec == again.ru_utime.tv_usec);
    CHECK(ru.ru_stime.tv_sec == again.ru_stime.tv_sec && ru.ru_stime.tv_usec == again.ru_stime.tv_usec);
    CHECK_EQ(ru.ru_maxrss, again.ru_maxrss);
    CHECK_ERR(syscall(SYS_getrusage, 7, &ru), EINVAL);
    CHECK_ERR(syscall(SYS_getrusage, RUSAGE_SELF, BAD), EFAULT);

    /* sysinfo: sizes that fit together. */
    struct sysinfo si;
    memset(&si, 0xff, sizeof si);
    CHECK_OK(sysinfo(&si));
    CHECK((long long)si.uptime <= sys_now(CLOCK_BOOTTIME) / 1000000000 + 1);
    CHECK(si.mem_unit >= 1);
    CHECK(si.totalram > 0);
    CHECK(si.freeram <= si.totalram);
    CHECK(si.sharedram <= si.totalram);
    CHECK(si.bufferram <= si.totalram);
    CHECK(si.freeswap <= si.totalswap);
    CHECK(si.freehigh <= si.totalhigh);
    CHECK(si.procs >= 1);
    CHECK_ERR(syscall(SYS_sysinfo, BAD), EFAULT);
    CHECK_ERR(syscall(SYS_sysinfo, NULL), EFAULT);
    /* Thread CPU time is per thread: one that slept while this one computed used less. */
    pthread_t th;
    long long main_before = sys_now(CLOCK_THREAD_CPUTIME_ID), started = sys_now(CLOCK_MONOTONIC);
    CHECK_EQ(pthread_create(&th, NULL, sleeper, NULL), 0);
    while (sys_now(CLOCK_MONOTONIC) - started < 60 * 1000000LL) spin();
    CHECK_EQ(pthread_join(th, NULL), 0);
    long long main_used = sys_now(CLOCK_THREAD_CPUTIME_ID) - main_before;
    CHECK(sleeper_cpu >= 0);
    CHECK(sleeper_cpu < main_used);
    CHECK(sys_now(CLOCK_PROCESS_CPUTIME_ID) >= main_used + sleeper_cpu);
    return check_done();
}
