/* sys-threads: threads as clone makes them. gettid per thread, set_tid_address, what a new
 * thread inherits (the signal mask, the x87 control word and MXCSR; not the alternate signal
 * stack), tgkill to another thread and a process signal taken by the thread that does not
 * block it, exit of one thread (the others go on; CLONE_CHILD_CLEARTID wakes the joiner) and
 * exit_group from a thread ending the whole process with its status. clone's flag errors. */
#define _GNU_SOURCE
#include <fenv.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

static volatile pid_t handler_tid;
static volatile int handled;

static void record_tid(int sig) {
    (void)sig;
    handler_tid = syscall(SYS_gettid);
    handled++;
}

struct seen {
    pid_t tid;
    int usr1_blocked;
    int alt_disabled;
    unsigned short cw;
    unsigned mxcsr;
    int round;
};

static void *inspect(void *arg) {
    struct seen *s = arg;
    s->tid = syscall(SYS_gettid);
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    s->usr1_blocked = sigismember(&mask, SIGUSR1);
    stack_t ss;
    sigaltstack(NULL, &ss);
    s->alt_disabled = (ss.ss_flags & SS_DISABLE) != 0;
    __asm__ volatile("fnstcw %0" : "=m"(s->cw));
    __asm__ volatile("stmxcsr %0" : "=m"(s->mxcsr));
    s->round = fegetround();
    return NULL;
}

static volatile pid_t worker_tid;
static volatile int stop;

static void *worker(void *arg) {
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL); /* it inherited the main thread's mask */
    worker_tid = syscall(SYS_gettid);
    while (!stop) {
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
    return (void *)42;
}

static void *exits_alone(void *arg) {
    (void)arg;
    pthread_exit((void *)7); /* the C libraries end the thread with the exit syscall */
}

static void *ends_process(void *arg) {
    syscall(SYS_exit_group, (int)(intptr_t)arg);
    return NULL;
}

static char altstack[16384];

int main(int argc, char **argv) {
    scratch(argc, argv);
    pid_t main_tid = syscall(SYS_gettid);
    /* The main thread's id is the process id. */
    CHECK_EQ(main_tid, getpid());
    CHECK_EQ(syscall(SYS_set_tid_address, NULL), main_tid);

    /* What a new thread starts with. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record_tid;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    CHECK_OK(sigaltstack(&ss, NULL));
    fesetround(FE_UPWARD);
    unsigned short cw;
    unsigned mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    struct seen s;
    memset(&s, 0, sizeof s);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, inspect, &s), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    fesetround(FE_TONEAREST);
    CHECK(s.tid > 0 && s.tid != main_tid);
    CHECK_EQ(s.usr1_blocked, 1);
    CHECK_EQ(s.alt_disabled, 1);
    CHECK_EQ(s.cw, cw);
    CHECK_EQ(s.mxcsr, mxcsr);
    CHECK_EQ(s.round, FE_UPWARD);
    ss.ss_flags = SS_DISABLE;
    CHECK_OK(sigaltstack(&ss, NULL));

    /* tgkill reaches the thread it names; a process signal goes to a thread that accepts it. */
    pthread_create(&t, NULL, worker, NULL);
    while (worker_tid == 0) sched_yield();
    CHECK_OK(syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR2));
    while (handled < 1) sched_yield();
    CHECK_EQ(handler_tid, worker_tid);
    CHECK_OK(kill(getpid(), SIGUSR1)); /* the main thread blocks it */
    while (handled < 2) sched_yield();
    CHECK_EQ(handler_tid, worker_tid);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    stop = 1;
    void *result;
    CHECK_EQ(pthread_join(t, &result), 0);
    CHECK(result == (void *)42);
    /* The thread is gone: signalling it fails. */
    CHECK_ERR(syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR2), ESRCH);

    /* exit ends one thread; the joiner is woken through its cleared tid. */
    CHECK_EQ(pthread_create(&t, NULL, exits_alone, NULL), 0);
    CHECK_EQ(pthread_join(t, &result), 0);
    CHECK(result == (void *)7);

    /* clone: a thread needs shared signal handlers, which need shared memory. */
    CHECK_ERR(syscall(SYS_clone, CLONE_THREAD, NULL, NULL, NULL, 0), EINVAL);
    CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND, NULL, NULL, NULL, 0), EINVAL);

    /* exit_group from another thread ends the process with its status, while main waits. */
    int status = check_done();
    fflush(stdout); /* exit_group does not flush stdio */
    pthread_create(&t, NULL, ends_process, (void *)(intptr_t)status);
    for (;;) pause();
}
