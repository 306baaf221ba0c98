/* sys-posix-timers: timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete
 * as raw syscalls (the C libraries wrap timer ids differently). SIGEV_SIGNAL with its value and
 * si_code SI_TIMER, the default sigevent (SIGALRM carrying the id), SIGEV_NONE, SIGEV_THREAD_ID
 * to one thread; relative and absolute (CLOCK_REALTIME) times, periodic timers and their
 * overruns while the signal is pending, a timer interrupting a sleep; the error returns. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define RT 43
#define RT_THREAD 44
#define SIGEV_THREAD_ID_ 4

/* The kernel's struct sigevent (64 bytes). */
struct ksigevent {
    union sigval value;
    int signo;
    int notify;
    int tid;
    int pad[11];
};

static int timer_new(int clock, struct ksigevent *ev) {
    int id = -1;
    if (syscall(SYS_timer_create, clock, ev, &id) != 0) return -1;
    return id;
}

static long arm(int id, int flags, long value_ns, long interval_ns, struct itimerspec *old) {
    struct itimerspec its = {{interval_ns / 1000000000L, interval_ns % 1000000000L}, {value_ns / 1000000000L, value_ns % 1000000000L}};
    return syscall(SYS_timer_settime, id, flags, &its, old);
}

static long ns(struct timespec t) { return t.tv_sec * 1000000000L + t.tv_nsec; }

static double now_ms(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static sigset_t just(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    return s;
}

static volatile int thread_tid, thread_code, thread_value, handled;

static void *waiter(void *arg) {
    (void)arg;
    sigset_t s = just(RT_THREAD);
    thread_tid = syscall(SYS_gettid);
    siginfo_t si;
    if (sigwaitinfo(&s, &si) == RT_THREAD) {
        thread_code = si.si_code;
        thread_value = si.si_value.sival_int;
    }
    return NULL;
}

static sem_t notified;
static volatile int notify_value;
static volatile pid_t notify_tid;

/* SIGEV_THREAD's function: the C library runs it in a thread of its own, woken by a
 * SIGEV_THREAD_ID timer signal it waits for with rt_sigtimedwait. */
static void on_expiry(union sigval v) {
    notify_value = v.sival_int;
    notify_tid = syscall(SYS_gettid);
    sem_post(&notified);
}

static void on_signal(int sig) {
    (void)sig;
    handled++;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, RT);
    sigaddset(&blocked, RT_THREAD);
    sigaddset(&blocked, SIGALRM);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    sigset_t rt = just(RT);
    siginfo_t si;
    struct itimerspec cur;

    /* SIGEV_SIGNAL: the signal carries SI_TIMER, the timer id and the sigevent's value. */
    struct ksigevent ev = {.value.sival_int = 77, .signo = RT, .notify = SIGEV_SIGNAL};
    int id = CHECK_OK(timer_new(CLOCK_MONOTONIC, &ev));
    CHECK(id >= 0);
    CHECK_OK(syscall(SYS_timer_gettime, id, &cur));
    CHECK_EQ(ns(cur.it_value), 0);
    CHECK_OK(arm(id, 0, 2000000000L, 0, NULL));
    CHECK_OK(syscall(SYS_timer_gettime, id, &cur));
    CHECK(ns(cur.it_value) > 1000000000L && ns(cur.it_value) <= 2000000000L);
    double start = now_ms(CLOCK_MONOTONIC);
    CHECK_OK(arm(id, 0, 20000000L, 0, NULL));
    memset(&si, 0, sizeof si);
    CHECK_EQ(sigwaitinfo(&rt, &si), RT);
    CHECK(now_ms(CLOCK_MONOTONIC) - start >= 15);
    CHECK_EQ(si.si_code, SI_TIMER);
    CHECK_EQ(si.si_value.sival_int, 77);
    CHECK_EQ(si.si_timerid, id);
    CHECK_EQ(si.si_overrun, 0);
    CHECK_OK(syscall(SYS_timer_gettime, id, &cur));
    CHECK_EQ(ns(cur.it_value), 0);

    /* Periodic: while the signal waits, further expiries become its overrun count. */
    CHECK_OK(arm(id, 0, 10000000L, 10000000L, NULL));
    CHECK_OK(syscall(SYS_timer_gettime, id, &cur));
    CHECK_EQ(ns(cur.it_interval), 10000000L);
    struct timespec pause_ts = {0, 100000000L};
    nanosleep(&pause_ts, NULL);
    memset(&si, 0, sizeof si);
    CHECK_EQ(sigwaitinfo(&rt, &si), RT);
    CHECK(si.si_overrun >= 5);
    CHECK_EQ(syscall(SYS_timer_getoverrun, id), si.si_overrun);
    struct itimerspec old;
    CHECK_OK(arm(id, 0, 0, 0, &old));
    CHECK_EQ(ns(old.it_interval), 10000000L);
    CHECK(ns(old.it_value) > 0 && ns(old.it_value) <= 10000000L);
    CHECK_OK(syscall(SYS_timer_gettime, id, &cur));
    CHECK_EQ(ns(cur.it_value), 0);
    CHECK_EQ(ns(cur.it_interval), 0);
    /* Drain a signal queued before the disarm, if any. */
    struct timespec zero = {0, 0};
    sigtimedwait(&rt, NULL, &zero);

    /* TIMER_ABSTIME on CLOCK_REALTIME. */
    int rid = CHECK_OK(timer_new(CLOCK_REALTIME, &ev));
    struct timespec when;
    clock_gettime(CLOCK_REALTIME, &when);
    start = now_ms(CLOCK_MONOTONIC);
    CHECK_OK(arm(rid, TIMER_ABSTIME, ns(when) + 30000000L, 0, NULL));
    CHECK_EQ(sigwaitinfo(&rt, &si), RT);
    CHECK(now_ms(CLOCK_MONOTONIC) - start >= 25);
    CHECK_EQ(si.si_timerid, rid);
    /* An absolute time already past expires at once. */
    CHECK_OK(arm(rid, TIMER_ABSTIME, 1, 0, NULL));
    CHECK_EQ(sigwaitinfo(&rt, &si), RT);
    CHECK_OK(syscall(SYS_timer_delete, rid));

    /* No sigevent: SIGALRM with the timer id as its value. */
    int aid = CHECK_OK(timer_new(CLOCK_MONOTONIC, NULL));
    CHECK_OK(arm(aid, 0, 5000000L, 0, NULL));
    sigset_t alrm = just(SIGALRM);
    memset(&si, 0, sizeof si);
    CHECK_EQ(sigwaitinfo(&alrm, &si), SIGALRM);
    CHECK_EQ(si.si_code, SI_TIMER);
    CHECK_EQ(si.si_value.sival_int, aid);
    CHECK_OK(syscall(SYS_timer_delete, aid));

    /* SIGEV_NONE: it runs and reports its time, and sends nothing. */
    struct ksigevent none = {.notify = SIGEV_NONE};
    int nid = CHECK_OK(timer_new(CLOCK_MONOTONIC, &none));
    CHECK_OK(arm(nid, 0, 1000000000L, 500000000L, NULL));
    CHECK_OK(syscall(SYS_timer_gettime, nid, &cur));
    CHECK(ns(cur.it_value) > 500000000L && ns(cur.it_value) <= 1000000000L);
    CHECK_EQ(ns(cur.it_interval), 500000000L);
    CHECK_OK(syscall(SYS_timer_delete, nid));

    /* SIGEV_THREAD_ID: the signal goes to that thread. */
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    while (thread_tid == 0) sched_yield();
    struct ksigevent to_thread = {.value.sival_int = 5, .signo = RT_THREAD, .notify = SIGEV_SIGNAL | SIGEV_THREAD_ID_, .tid = thread_tid};
    int tid_timer = CHECK_OK(timer_new(CLOCK_MONOTONIC, &to_thread));
    CHECK_OK(arm(tid_timer, 0, 20000000L, 0, NULL));
    pthread_join(t, NULL);
    CHECK_EQ(thread_code, SI_TIMER);
    CHECK_EQ(thread_value, 5);
    CHECK_OK(syscall(SYS_timer_delete, tid_timer));

    /* SIGEV_THREAD through the C library's timer_create. */
    sem_init(&notified, 0, 0);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = on_expiry;
    sev.sigev_value.sival_int = 9;
    timer_t lt;
    CHECK_OK(timer_create(CLOCK_MONOTONIC, &sev, &lt));
    struct itimerspec soon = {{0, 0}, {0, 20000000L}};
    CHECK_OK(timer_settime(lt, 0, &soon, NULL));
    CHECK_OK(sem_wait(&notified));
    CHECK_EQ(notify_value, 9);
    CHECK(notify_tid != syscall(SYS_gettid));
    CHECK_OK(timer_delete(lt));

    /* A timer's signal interrupts a sleep when it has a handler. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(RT, &sa, NULL);
    sigprocmask(SIG_UNBLOCK, &rt, NULL);
    CHECK_OK(arm(id, 0, 150000000L, 0, NULL)); /* the sleep has begun by then, even on a loaded machine */
    struct timespec long_sleep = {5, 0}, rem;
    CHECK_ERR(nanosleep(&long_sleep, &rem), EINTR);
    CHECK_EQ(handled, 1);

    /* Errors. */
    CHECK_OK(syscall(SYS_timer_delete, id));
    CHECK_ERR(syscall(SYS_timer_delete, id), EINVAL);
    CHECK_ERR(syscall(SYS_timer_gettime, id, &cur), EINVAL);
    CHECK_ERR(syscall(SYS_timer_getoverrun, id), EINVAL);
    CHECK_ERR(arm(id, 0, 1000000L, 0, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_timer_delete, 9999), EINVAL);
    int unused;
    CHECK_ERR(syscall(SYS_timer_create, 99, &ev, &unused), EINVAL);
    CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)1, &unused), EFAULT);
    CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, (void *)1), EFAULT);
    struct ksigevent odd = {.signo = RT, .notify = 99};
    CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &odd, &unused), EINVAL);
    odd.notify = SIGEV_SIGNAL;
    odd.signo = 0;
    CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &odd, &unused), EINVAL);
    odd.signo = 65;
    CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &odd, &unused), EINVAL);
    odd.signo = RT;
    odd.notify = SIGEV_SIGNAL | SIGEV_THREAD_ID_;
    odd.tid = 0x7fffffff;
    CHECK_ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &odd, &unused), EINVAL);
    int eid = CHECK_OK(timer_new(CLOCK_MONOTONIC, &none));
    struct itimerspec bad = {{0, 0}, {0, 1000000000L}};
    CHECK_ERR(syscall(SYS_timer_settime, eid, 0, &bad, NULL), EINVAL);
    bad.it_value.tv_nsec = 0;
    bad.it_interval.tv_nsec = -1;
    CHECK_ERR(syscall(SYS_timer_settime, eid, 0, &bad, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_timer_settime, eid, 0, (void *)1, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_timer_gettime, eid, (void *)1), EFAULT);
    CHECK_OK(syscall(SYS_timer_delete, eid));
    return check_done();
}
