/* sys-sigwait: waiting for signals. rt_sigsuspend (the temporary mask, the old one back after
 * the handler), pause, rt_sigtimedwait (a pending signal at once, one sent while waiting, the
 * timeout's EAGAIN, the siginfo of kill, tgkill and sigqueue, EINTR for another signal's
 * handler), with their error returns; and a handler that computes with long double and changes
 * the rounding modes leaves the interrupted code's x87 stack, control word and MXCSR intact. */
#define _GNU_SOURCE
#include <fenv.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define RT 41

static volatile int got[65];
static volatile unsigned short handler_cw;
static volatile unsigned handler_mxcsr;
static volatile long double handler_result;

static void count(int sig) { got[sig]++; }

static void fpu_handler(int sig) {
    got[sig]++;
    unsigned short cw;
    unsigned mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    handler_cw = cw;
    handler_mxcsr = mxcsr;
    /* Fill the x87 stack and change both rounding modes. */
    fesetround(FE_UPWARD);
    volatile long double x = 2.0L;
    long double acc = 0;
    for (int k = 1; k < 12; k++) acc += x / k;
    handler_result = acc;
}

static void handle(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct shot {
    pthread_t target;
    int sig;
};

static void *shooter(void *arg) {
    struct shot *s = arg;
    sleep_ms(100); /* the main thread is blocked by then, even on a slow, loaded machine */
    pthread_kill(s->target, s->sig);
    return NULL;
}

static pthread_t fire(struct shot *s, int sig) {
    pthread_t t;
    s->target = pthread_self();
    s->sig = sig;
    pthread_create(&t, NULL, shooter, s);
    return t;
}

static sigset_t just(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    return s;
}

static int blocked(int sig) {
    sigset_t s;
    sigprocmask(SIG_BLOCK, NULL, &s);
    return sigismember(&s, sig);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct shot shot;
    pthread_t t;
    handle(SIGUSR1, count, 0);
    sigset_t usr1 = just(SIGUSR1), empty;
    sigemptyset(&empty);

    /* rt_sigsuspend: waits with the given mask until a handler runs; the old mask comes back. */
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    t = fire(&shot, SIGUSR1);
    CHECK_ERR(sigsuspend(&empty), EINTR);
    CHECK_EQ(got[SIGUSR1], 1);
    CHECK_EQ(blocked(SIGUSR1), 1);
    pthread_join(t, NULL);
    /* A signal already pending and unblocked by the temporary mask ends it at once. */
    raise(SIGUSR1);
    CHECK_EQ(got[SIGUSR1], 1);
    CHECK_ERR(sigsuspend(&empty), EINTR);
    CHECK_EQ(got[SIGUSR1], 2);
    CHECK_EQ(blocked(SIGUSR1), 1);
    uint64_t none = 0;
    CHECK_ERR(syscall(SYS_rt_sigsuspend, &none, 4), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigsuspend, (void *)1, 8), EFAULT);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);

    /* pause: until a handler runs. */
    t = fire(&shot, SIGUSR1);
    CHECK_ERR(pause(), EINTR);
    CHECK_EQ(got[SIGUSR1], 3);
    pthread_join(t, NULL);

    /* rt_sigtimedwait takes a pending blocked signal without running its handler. */
    handle(SIGUSR2, count, 0);
    sigset_t usr2 = just(SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    siginfo_t info;
    struct timespec zero = {0, 0};
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
    memset(&info, 0, sizeof info);
    /* Raw: glibc's wrapper reports SI_TKILL as SI_USER. */
    CHECK_EQ(syscall(SYS_rt_sigtimedwait, &usr2, &info, &zero, 8), SIGUSR2);
    CHECK_EQ(info.si_signo, SIGUSR2);
    CHECK_EQ(info.si_code, SI_TKILL);
    CHECK_EQ(got[SIGUSR2], 0);
    /* Nothing pending: EAGAIN at once with a zero timeout, after it with another. */
    CHECK_ERR(sigtimedwait(&usr2, &info, &zero), EAGAIN);
    struct timespec short_wait = {0, 50 * 1000000L};
    double start = now_ms();
    CHECK_ERR(sigtimedwait(&usr2, &info, &short_wait), EAGAIN);
    CHECK(now_ms() - start >= 45);
    /* A signal sent while it waits. */
    t = fire(&shot, SIGUSR2);
    struct timespec long_wait = {5, 0};
    memset(&info, 0, sizeof info);
    CHECK_EQ(sigtimedwait(&usr2, &info, &long_wait), SIGUSR2);
    CHECK_EQ(info.si_signo, SIGUSR2);
    pthread_join(t, NULL);
    /* kill's siginfo names the sender; sigqueue's carries the value. */
    CHECK_OK(kill(getpid(), SIGUSR2));
    memset(&info, 0, sizeof info);
    CHECK_EQ(sigwaitinfo(&usr2, &info), SIGUSR2);
    CHECK_EQ(info.si_code, SI_USER);
    CHECK_EQ(info.si_pid, getpid());
    sigset_t rt = just(RT);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    CHECK_OK(sigqueue(getpid(), RT, (union sigval){.sival_int = 7}));
    CHECK_OK(sigqueue(getpid(), RT, (union sigval){.sival_int = 8}));
    memset(&info, 0, sizeof info);
    CHECK_EQ(sigwaitinfo(&rt, &info), RT);
    CHECK_EQ(info.si_code, SI_QUEUE);
    CHECK_EQ(info.si_value.sival_int, 7);
    CHECK_EQ(sigwaitinfo(&rt, NULL), RT);
    /* The lowest pending signal of the set comes first. */
    raise(RT);
    raise(SIGUSR2);
    sigset_t both = usr2;
    sigaddset(&both, RT);
    CHECK_EQ(sigtimedwait(&both, NULL, &zero), SIGUSR2);
    CHECK_EQ(sigtimedwait(&both, NULL, &zero), RT);
    /* Another signal's handler ends the wait with EINTR, SA_RESTART or not (a raw call: musl's
     * wrapper waits again after EINTR). */
    handle(SIGUSR1, count, SA_RESTART);
    t = fire(&shot, SIGUSR1);
    CHECK_ERR(syscall(SYS_rt_sigtimedwait, &usr2, &info, &long_wait, 8), EINTR);
    CHECK_EQ(got[SIGUSR1], 4);
    pthread_join(t, NULL);
    /* Errors (raw calls: the C libraries' wrappers adjust the set). */
    uint64_t set = 1ULL << (SIGUSR2 - 1);
    struct timespec bad = {0, 2000000000L};
    CHECK_ERR(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigtimedwait, (void *)1, NULL, &zero, 8), EFAULT);
    CHECK_ERR(syscall(SYS_rt_sigtimedwait, &set, NULL, &bad, 8), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigtimedwait, &set, NULL, (void *)1, 8), EFAULT);

    /* A handler starts with the default x87 control word and MXCSR; what it does to them and
     * to the x87 stack is undone when it returns. */
    handle(SIGUSR1, fpu_handler, 0);
    fesetround(FE_DOWNWARD);
    unsigned short cw_before, cw_after;
    unsigned mxcsr_before, mxcsr_after;
    __asm__ volatile("fnstcw %0" : "=m"(cw_before));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr_before));
    long double third = 1.0L / 3, back = 0;
    /* ST(0) holds a value across the signal (raise does no x87 arithmetic). */
    __asm__ volatile("fldt %0" : : "m"(third));
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
    __asm__ volatile("fstpt %0" : "=m"(back));
    __asm__ volatile("fnstcw %0" : "=m"(cw_after));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr_after));
    CHECK_EQ(got[SIGUSR1], 5);
    CHECK(back == third);
    CHECK_EQ(cw_after, cw_before);
    CHECK_EQ(mxcsr_after, mxcsr_before);
    CHECK_EQ(handler_cw, 0x37f);
    CHECK_EQ(handler_mxcsr, 0x1f80);
    CHECK(handler_result > 6.0L && handler_result < 6.1L);
    fesetround(FE_TONEAREST);
    return check_done();
}
