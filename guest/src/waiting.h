/* waiting.h: what the sys-* tests of waiting calls (poll, select, epoll) share: a thread that
 * writes a byte after 20 ms, a SIGUSR1 counter, a check that a call's signal mask is in force
 * only for the call, and a millisecond clock. Include after check.h. */
#ifndef WAITING_H
#define WAITING_H

#include <pthread.h>
#include <signal.h>
#include <time.h>

static int wake_fd;
static long wrote;

static inline void *late_writer(void *arg) {
    (void)arg;
    struct timespec nap = {0, 20000000};
    nanosleep(&nap, NULL);
    wrote = write(wake_fd, "w", 1); /* checked after the join: threads print nothing */
    return NULL;
}

static volatile int usr1;

static inline void on_usr1(int sig) {
    (void)sig;
    usr1++;
}

/* With SIGUSR1 blocked and pending, a call whose mask lets it in is interrupted by it (the
 * handler runs), and the thread's own mask is back afterwards. */
#define CHECK_MASKED_CALL(call_keeping_it_blocked, call_letting_it_in)                       \
    do {                                                                                    \
        sigset_t block_, old_;                                                              \
        sigemptyset(&block_);                                                               \
        sigaddset(&block_, SIGUSR1);                                                        \
        signal(SIGUSR1, on_usr1);                                                           \
        sigprocmask(SIG_BLOCK, &block_, &old_);                                             \
        raise(SIGUSR1);                                                                     \
        CHECK_EQ(call_keeping_it_blocked, 0);                                               \
        CHECK_EQ(usr1, 0);                                                                  \
        CHECK_ERR(call_letting_it_in, EINTR);                                               \
        CHECK_EQ(usr1, 1);                                                                  \
        sigset_t now_;                                                                      \
        sigprocmask(SIG_BLOCK, NULL, &now_);                                                \
        CHECK(sigismember(&now_, SIGUSR1));                                                 \
        sigprocmask(SIG_SETMASK, &old_, NULL);                                              \
    } while (0)

static inline long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

#endif
