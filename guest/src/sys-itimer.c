/* sys-itimer: alarm, setitimer and getitimer. ITIMER_REAL sends SIGALRM once or periodically,
 * interrupts a blocked read, reports what is left and the interval; ITIMER_PROF sends SIGPROF
 * to a spinning program; alarm returns the seconds left of the previous timer; the error
 * returns. (ITIMER_VIRTUAL is not checked: Nanos does not support it.) */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include "check.h"

static volatile int alarms, profs;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static void on_prof(int sig) {
    (void)sig;
    profs++;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long usec(struct timeval tv) { return tv.tv_sec * 1000000L + tv.tv_usec; }

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = on_prof;
    sigaction(SIGPROF, &sa, NULL);

    /* alarm: the seconds left of the previous one (rounded), 0 when none. */
    CHECK_EQ(alarm(0), 0);
    CHECK_EQ(alarm(10), 0);
    CHECK_EQ(alarm(5), 10);
    struct itimerval cur;
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK(usec(cur.it_value) > 4000000 && usec(cur.it_value) <= 5000000);
    CHECK_EQ(usec(cur.it_interval), 0);
    CHECK_EQ(alarm(0), 5);
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK_EQ(usec(cur.it_value), 0);

    /* A one-shot ITIMER_REAL: pause returns after its SIGALRM, no earlier than asked. */
    struct itimerval once = {.it_interval = {0, 0}, .it_value = {0, 50000}}, old;
    double start = now_ms();
    CHECK_OK(setitimer(ITIMER_REAL, &once, &old));
    CHECK_EQ(usec(old.it_value), 0);
    CHECK_ERR(pause(), EINTR);
    CHECK(now_ms() - start >= 45);
    CHECK_EQ(alarms, 1);
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK_EQ(usec(cur.it_value), 0);

    /* A periodic one: the interval is kept and reported; three expiries, then disarmed. */
    struct itimerval every = {.it_interval = {0, 20000}, .it_value = {1, 0}};
    CHECK_OK(setitimer(ITIMER_REAL, &every, NULL));
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK_EQ(usec(cur.it_interval), 20000);
    CHECK(usec(cur.it_value) > 500000 && usec(cur.it_value) <= 1000000);
    every.it_value.tv_sec = 0;
    every.it_value.tv_usec = 20000;
    CHECK_OK(setitimer(ITIMER_REAL, &every, &old));
    CHECK_EQ(usec(old.it_interval), 20000);
    CHECK(usec(old.it_value) > 0);
    alarms = 0;
    while (alarms < 3) pause();
    struct itimerval off = {{0, 0}, {0, 0}};
    CHECK_OK(setitimer(ITIMER_REAL, &off, &old));
    CHECK_EQ(usec(old.it_interval), 20000);
    CHECK_EQ(alarms, 3);
    CHECK_OK(getitimer(ITIMER_REAL, &cur));
    CHECK_EQ(usec(cur.it_value), 0);
    CHECK_EQ(usec(cur.it_interval), 0);

    /* SIGALRM interrupts a read that would wait forever. */
    int p[2];
    CHECK_OK(pipe(p));
    char c;
    alarms = 0;
    CHECK_OK(setitimer(ITIMER_REAL, &once, NULL));
    CHECK_ERR(read(p[0], &c, 1), EINTR);
    CHECK_EQ(alarms, 1);

    /* ITIMER_PROF counts the process's CPU time: it fires while the program spins. */
    struct itimerval prof = {.it_interval = {0, 0}, .it_value = {0, 300000}};
    CHECK_OK(setitimer(ITIMER_PROF, &prof, NULL));
    CHECK_OK(getitimer(ITIMER_PROF, &cur));
    /* (Linux rounds CPU timers up to its tick.) */
    CHECK(usec(cur.it_value) > 0 && usec(cur.it_value) <= 310000);
    start = now_ms();
    while (profs == 0 && now_ms() - start < 10000) {
    }
    CHECK_EQ(profs, 1);

    /* Errors. */
    CHECK_ERR(setitimer(99, &once, NULL), EINVAL);
    CHECK_ERR(getitimer(99, &cur), EINVAL);
    struct itimerval bad = {.it_interval = {0, 0}, .it_value = {0, 1000000}};
    CHECK_ERR(setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
    bad.it_value.tv_usec = -1;
    CHECK_ERR(setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, (void *)1, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, &off, (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_getitimer, ITIMER_REAL, (void *)1), EFAULT);
    return check_done();
}
