/* sys-spin: a thread that spins without a system call does not keep the others from running.
 * While one thread busy-waits on a flag, another sleeps on a timer (nanosleep, then a POSIX
 * timer's signal through sigwaitinfo) and then sets the flag; both finish. The spinning main
 * thread is also preempted for a thread waiting on a condition variable with a timeout. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

static volatile int flag;
static volatile long spins;

static void *spinner(void *arg) {
    (void)arg;
    while (!flag) spins++;
    return (void *)1;
}

static void *sleeper(void *arg) {
    (void)arg;
    struct timespec ts = {0, 50000000L};
    nanosleep(&ts, NULL);
    flag = 1;
    return (void *)2;
}

static void *signal_waiter(void *arg) {
    siginfo_t si;
    return (void *)(intptr_t)sigwaitinfo(arg, &si);
}

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *cond_waiter(void *arg) {
    (void)arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 30000000L;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&mutex);
    int r = pthread_cond_timedwait(&cond, &mutex, &until);
    pthread_mutex_unlock(&mutex);
    flag = 1;
    return (void *)(intptr_t)r;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    void *r1, *r2;

    /* A spinner and a sleeper: the sleeper's timer ends the spin. */
    pthread_t spin, sleep_thread;
    pthread_create(&spin, NULL, spinner, NULL);
    pthread_create(&sleep_thread, NULL, sleeper, NULL);
    CHECK_EQ(pthread_join(sleep_thread, &r2), 0);
    CHECK_EQ(pthread_join(spin, &r1), 0);
    CHECK(r1 == (void *)1 && r2 == (void *)2);
    CHECK(spins > 0);

    /* The main thread spins while a thread waits for a POSIX timer's signal. */
    flag = 0;
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN;
    timer_t timer;
    CHECK_OK(timer_create(CLOCK_MONOTONIC, &ev, &timer));
    struct itimerspec its = {{0, 0}, {0, 40000000L}};
    CHECK_OK(timer_settime(timer, 0, &its, NULL));
    pthread_create(&sleep_thread, NULL, signal_waiter, &rt);
    long count = 0;
    /* The signal is process-wide and every thread blocks it: the waiting thread takes it. */
    while (pthread_tryjoin_np(sleep_thread, &r2) != 0) count++;
    CHECK((intptr_t)r2 == SIGRTMIN);
    CHECK(count > 0);
    CHECK_OK(timer_delete(timer));

    /* The main thread spins while a thread's condition wait times out. */
    flag = 0;
    pthread_t waiter;
    pthread_create(&waiter, NULL, cond_waiter, NULL);
    while (!flag) count++;
    CHECK_EQ(pthread_join(waiter, &r1), 0);
    CHECK_EQ((intptr_t)r1, ETIMEDOUT);
    return check_done();
}
