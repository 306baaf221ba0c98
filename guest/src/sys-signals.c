/* sys-signals: masks, pending and queued signals, sending signals to the process and its
 * threads, and blocking calls a handler interrupts. rt_sigprocmask, rt_sigpending, kill, tkill,
 * tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, rt_sigaction, sigaltstack, rt_sigreturn: their
 * Linux semantics and error returns. Standard signals coalesce, real-time signals queue with
 * their values; a handler without SA_RESTART makes a blocked read, nanosleep or futex wait
 * return EINTR, one with SA_RESTART restarts read and futex but never nanosleep, poll or
 * epoll_wait. */
#define _GNU_SOURCE
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define RT 40 /* a real-time signal neither C library reserves */
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static volatile int got[65];
static volatile int order[16];
static volatile int norder;
static volatile int values[16];
static volatile int codes[16];
static volatile int nvalues;
static volatile int on_alt, alt_flags, alt_set_errno;
static char altstack[64 * 1024];

static void record(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got[sig]++;
    if (norder < 16) order[norder++] = sig;
    if (nvalues < 16) {
        codes[nvalues] = si->si_code;
        values[nvalues++] = si->si_value.sival_int;
    }
}

static void on_alt_stack(int sig, siginfo_t *si, void *uc) {
    (void)si;
    (void)uc;
    char here;
    got[sig]++;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
    stack_t now;
    sigaltstack(NULL, &now);
    alt_flags = now.ss_flags;
    stack_t other = {.ss_sp = altstack, .ss_size = sizeof altstack};
    alt_set_errno = sigaltstack(&other, NULL) == 0 ? 0 : errno;
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void reset(void) {
    memset((void *)got, 0, sizeof got);
    norder = 0;
    nvalues = 0;
}

static void block(int sig, int how) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

static int pending(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigpending(&s);
    return sigismember(&s, sig);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* A thread that signals the main thread after a delay, then wakes what it waits on. */
struct shot {
    pthread_t target;
    int sig;
    int pipe_fd;       /* written one byte after the signal, or -1 */
    uint32_t *futex;   /* set to 1 and woken after the signal, or NULL */
};

static void *shooter(void *arg) {
    struct shot *s = arg;
    /* Long enough for the main thread to be blocked by then, even on a slow, loaded machine. */
    sleep_ms(100);
    pthread_kill(s->target, s->sig);
    sleep_ms(100);
    if (s->pipe_fd >= 0) write(s->pipe_fd, "x", 1);
    if (s->futex != NULL) {
        __atomic_store_n(s->futex, 1, __ATOMIC_SEQ_CST);
        syscall(SYS_futex, s->futex, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
    return NULL;
}

static pthread_t fire(struct shot *s) {
    pthread_t t;
    s->target = pthread_self();
    pthread_create(&t, NULL, shooter, s);
    return t;
}

static siginfo_t queued_info(int code, int value) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_code = code;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    return si;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    pid_t pid = getpid();
    pid_t tid = syscall(SYS_gettid);
    handle(SIGUSR1, record, 0);
    handle(SIGUSR2, record, 0);
    handle(RT, record, 0);

    /* A blocked signal stays pending (and shows in rt_sigpending) until unblocked. */
    reset();
    block(SIGUSR1, SIG_BLOCK);
    CHECK_OK(kill(pid, SIGUSR1));
    CHECK_EQ(got[SIGUSR1], 0);
    CHECK_EQ(pending(SIGUSR1), 1);
    block(SIGUSR1, SIG_UNBLOCK);
    CHECK_EQ(got[SIGUSR1], 1);
    CHECK_EQ(pending(SIGUSR1), 0);
    CHECK_EQ(codes[0], SI_USER);

    /* rt_sigpending lists only blocked pending signals; its size may be smaller than 8, not larger. */
    uint64_t set = 0;
    CHECK_EQ(syscall(SYS_rt_sigpending, &set, 8), 0);
    CHECK_EQ(set, 0);
    CHECK_ERR(syscall(SYS_rt_sigpending, &set, 16), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigpending, (void *)1, 8), EFAULT);

    /* rt_sigprocmask: the old mask, its errors; SIGKILL and SIGSTOP cannot be blocked. */
    uint64_t all = ~0ULL, old = 0;
    CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8), 0);
    CHECK_EQ(old, 0);
    CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &old, 8), 0);
    CHECK_EQ(old & (1ULL << (SIGKILL - 1)), 0);
    CHECK_EQ(old & (1ULL << (SIGSTOP - 1)), 0);
    CHECK(old & (1ULL << (SIGUSR1 - 1)));
    uint64_t none = 0;
    CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8), 0);
    CHECK_ERR(syscall(SYS_rt_sigprocmask, 99, &none, NULL, 8), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &none, NULL, 4), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)1, NULL, 8), EFAULT);
    CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (void *)1, 8), EFAULT);

    /* Standard signals coalesce while pending; real-time ones queue, each with its value. */
    reset();
    block(SIGUSR2, SIG_BLOCK);
    block(RT, SIG_BLOCK);
    for (int k = 0; k < 3; k++) CHECK_OK(kill(pid, SIGUSR2));
    for (int k = 1; k <= 3; k++) CHECK_OK(sigqueue(pid, RT, (union sigval){.sival_int = k}));
    block(SIGUSR2, SIG_UNBLOCK);
    CHECK_EQ(got[SIGUSR2], 1);
    nvalues = 0;
    block(RT, SIG_UNBLOCK);
    CHECK_EQ(got[RT], 3);
    CHECK_EQ(nvalues, 3);
    CHECK_EQ(values[0], 1);
    CHECK_EQ(values[1], 2);
    CHECK_EQ(values[2], 3);
    CHECK_EQ(codes[0], SI_QUEUE);

    /* Several signals unblocked at once: all are delivered, the lowest-numbered first (its
     * frame is set up first, so the other's handler runs on top of it, first). */
    reset();
    sigset_t two;
    sigemptyset(&two);
    sigaddset(&two, SIGUSR1);
    sigaddset(&two, SIGUSR2);
    sigprocmask(SIG_BLOCK, &two, NULL);
    CHECK_OK(kill(pid, SIGUSR2));
    CHECK_OK(kill(pid, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &two, NULL);
    CHECK_EQ(norder, 2);
    CHECK_EQ(order[0], SIGUSR2);
    CHECK_EQ(order[1], SIGUSR1);

    /* kill: to this process only; signal 0 checks; errors. */
    CHECK_EQ(kill(pid, 0), 0);
    CHECK_ERR(kill(pid, 65), EINVAL);
    CHECK_ERR(kill(pid, -1), EINVAL);
    CHECK_ERR(kill(0x7fffffff, SIGUSR1), ESRCH);

    /* tkill and tgkill reach the thread (si_code SI_TKILL). */
    reset();
    CHECK_OK(syscall(SYS_tgkill, pid, tid, SIGUSR1));
    CHECK_EQ(got[SIGUSR1], 1);
    CHECK_EQ(codes[0], SI_TKILL);
    CHECK_OK(syscall(SYS_tkill, tid, SIGUSR2));
    CHECK_EQ(got[SIGUSR2], 1);
    CHECK_EQ(syscall(SYS_tgkill, pid, tid, 0), 0);
    CHECK_ERR(syscall(SYS_tgkill, pid, 0, SIGUSR1), EINVAL);
    CHECK_ERR(syscall(SYS_tgkill, 0, tid, SIGUSR1), EINVAL);
    CHECK_ERR(syscall(SYS_tgkill, pid, tid, 65), EINVAL);
    CHECK_ERR(syscall(SYS_tgkill, pid, 0x7fffffff, SIGUSR1), ESRCH);
    CHECK_ERR(syscall(SYS_tkill, -1, SIGUSR1), EINVAL);
    CHECK_ERR(syscall(SYS_tkill, tid, 99), EINVAL);
    CHECK_ERR(syscall(SYS_tkill, 0x7fffffff, SIGUSR1), ESRCH);

    /* rt_sigqueueinfo / rt_tgsigqueueinfo: the caller's siginfo arrives, si_signo set by the kernel. */
    reset();
    siginfo_t si = queued_info(SI_QUEUE, 42);
    si.si_signo = 99;
    CHECK_OK(syscall(SYS_rt_sigqueueinfo, pid, RT, &si));
    CHECK_EQ(got[RT], 1);
    CHECK_EQ(values[0], 42);
    CHECK_EQ(codes[0], SI_QUEUE);
    si = queued_info(-50, 43);
    CHECK_OK(syscall(SYS_rt_tgsigqueueinfo, pid, tid, RT, &si));
    CHECK_EQ(got[RT], 2);
    CHECK_EQ(values[1], 43);
    CHECK_EQ(codes[1], -50);
    CHECK_EQ(syscall(SYS_rt_sigqueueinfo, pid, 0, &si), 0);
    CHECK_ERR(syscall(SYS_rt_sigqueueinfo, pid, RT, (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_rt_sigqueueinfo, pid, 65, &si), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigqueueinfo, 0x7fffffff, RT, &si), ESRCH);
    si = queued_info(SI_USER, 0);
    CHECK_ERR(syscall(SYS_rt_sigqueueinfo, 0x7fffffff, RT, &si), EPERM);
    CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, pid, 0, RT, &si), EINVAL);
    si = queued_info(SI_QUEUE, 0);
    CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, pid, 0x7fffffff, RT, &si), ESRCH);
    CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, pid, tid, RT, (void *)1), EFAULT);

    /* rt_sigaction errors: SIGKILL's action is fixed, numbers out of range, bad pointers. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
    CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, (void *)1, NULL, 8), EFAULT);
    /* An ignored signal is discarded, not left pending; ignoring one that is pending drops it. */
    sigaction(SIGUSR2, &sa, NULL);
    CHECK_OK(kill(pid, SIGUSR2));
    CHECK_EQ(pending(SIGUSR2), 0);
    handle(SIGUSR2, record, 0);
    block(SIGUSR2, SIG_BLOCK);
    CHECK_OK(kill(pid, SIGUSR2));
    CHECK_EQ(pending(SIGUSR2), 1);
    sigaction(SIGUSR2, &sa, NULL);
    CHECK_EQ(pending(SIGUSR2), 0);
    /* A blocked signal stays pending even while ignored (it may be unignored before unblocked). */
    CHECK_OK(kill(pid, SIGUSR2));
    CHECK_EQ(pending(SIGUSR2), 1);
    reset();
    handle(SIGUSR2, record, 0);
    block(SIGUSR2, SIG_UNBLOCK);
    CHECK_EQ(got[SIGUSR2], 1);

    /* sigaltstack: a SA_ONSTACK handler runs there, sees SS_ONSTACK and cannot change it (EPERM). */
    reset();
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    CHECK_OK(sigaltstack(&ss, NULL));
    handle(SIGUSR1, on_alt_stack, SA_ONSTACK);
    raise(SIGUSR1);
    CHECK_EQ(got[SIGUSR1], 1);
    CHECK_EQ(on_alt, 1);
    CHECK_EQ(alt_flags, SS_ONSTACK);
    CHECK_EQ(alt_set_errno, EPERM);
    /* SS_AUTODISARM: off while the handler runs (so it may be replaced), back after it returns. */
    ss.ss_flags = SS_AUTODISARM;
    CHECK_OK(sigaltstack(&ss, NULL));
    raise(SIGUSR1);
    CHECK_EQ(on_alt, 1);
    CHECK_EQ(alt_flags, SS_DISABLE);
    CHECK_EQ(alt_set_errno, 0);
    /* rt_sigreturn cannot put the saved stack back while running on the one the handler set. */
    stack_t now;
    CHECK_OK(sigaltstack(NULL, &now));
    CHECK(now.ss_sp == altstack);
    CHECK_EQ(now.ss_flags, 0);
    /* Raw calls: musl's wrapper checks sizes and flags itself. */
    ss.ss_size = 100;
    CHECK_ERR(syscall(SYS_sigaltstack, &ss, NULL), ENOMEM);
    ss.ss_size = sizeof altstack;
    ss.ss_flags = 0x1234;
    CHECK_ERR(syscall(SYS_sigaltstack, &ss, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_sigaltstack, (void *)1, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_sigaltstack, NULL, (void *)1), EFAULT);
    ss.ss_flags = SS_DISABLE;
    CHECK_OK(sigaltstack(&ss, NULL));
    handle(SIGUSR1, record, 0);

    /* A handler without SA_RESTART interrupts a blocked read: EINTR. */
    int p[2];
    CHECK_OK(pipe(p));
    char c;
    struct shot s1 = {.sig = SIGUSR1, .pipe_fd = p[1]};
    pthread_t t = fire(&s1);
    reset();
    CHECK_ERR(read(p[0], &c, 1), EINTR);
    CHECK_EQ(got[SIGUSR1], 1);
    pthread_join(t, NULL);
    CHECK_EQ(read(p[0], &c, 1), 1);

    /* With SA_RESTART the read runs again and gets the byte written after the signal. */
    handle(SIGUSR1, record, SA_RESTART);
    reset();
    t = fire(&s1);
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_EQ(got[SIGUSR1], 1);
    pthread_join(t, NULL);

    /* nanosleep is never restarted: EINTR with the time left. */
    struct shot s2 = {.sig = SIGUSR1, .pipe_fd = -1};
    reset();
    t = fire(&s2);
    struct timespec req = {5, 0}, rem = {0, 0};
    CHECK_ERR(nanosleep(&req, &rem), EINTR);
    CHECK(rem.tv_sec >= 1 && rem.tv_sec < 5);
    CHECK_EQ(got[SIGUSR1], 1);
    pthread_join(t, NULL);

    /* A futex wait restarts with SA_RESTART and is woken by the later FUTEX_WAKE. */
    uint32_t word = 0;
    struct shot s3 = {.sig = SIGUSR1, .pipe_fd = -1, .futex = &word};
    reset();
    t = fire(&s3);
    CHECK_EQ(syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0), 0);
    CHECK_EQ(got[SIGUSR1], 1);
    CHECK_EQ(word, 1);
    pthread_join(t, NULL);
    /* Without SA_RESTART it returns EINTR. */
    handle(SIGUSR1, record, 0);
    word = 0;
    reset();
    t = fire(&s3);
    CHECK_ERR(syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0), EINTR);
    pthread_join(t, NULL);

    /* poll and epoll_wait return EINTR even with SA_RESTART. */
    handle(SIGUSR1, record, SA_RESTART);
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    reset();
    t = fire(&s2);
    CHECK_ERR(poll(&pfd, 1, 5000), EINTR);
    pthread_join(t, NULL);
    int ep = CHECK_OK(epoll_create1(0));
    struct epoll_event ev = {.events = EPOLLIN};
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    reset();
    t = fire(&s2);
    CHECK_ERR(epoll_wait(ep, &ev, 1, 5000), EINTR);
    CHECK_EQ(got[SIGUSR1], 1);
    pthread_join(t, NULL);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timeval tv = {5, 0};
    reset();
    t = fire(&s2);
    CHECK_ERR(select(p[0] + 1, &rd, NULL, NULL, &tv), EINTR);
    CHECK_EQ(got[SIGUSR1], 1);
    pthread_join(t, NULL);
    /* clock_nanosleep reports the time left too (its error is its result, not errno). */
    reset();
    t = fire(&s2);
    rem.tv_sec = 0;
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), EINTR);
    CHECK(rem.tv_sec >= 1 && rem.tv_sec < 5);
    pthread_join(t, NULL);

    /* A signal blocked by the waiting thread does not interrupt it. */
    block(SIGUSR1, SIG_BLOCK);
    reset();
    t = fire(&s1);
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_EQ(got[SIGUSR1], 0);
    pthread_join(t, NULL);
    block(SIGUSR1, SIG_UNBLOCK);
    CHECK_EQ(got[SIGUSR1], 1);
    return check_done();
}
