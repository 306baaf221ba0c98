/* sys-signalfd: signalfd and signalfd4. SFD_NONBLOCK and SFD_CLOEXEC, 128-byte
 * signalfd_siginfo records (one read takes as many as fit), the sender and value fields, a new
 * mask on an existing descriptor, a blocking read woken by a signal, readiness in poll and
 * epoll, and the error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define RT 42

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static void *send_later(void *arg) {
    sleep_ms(30);
    kill(getpid(), *(int *)arg);
    return NULL;
}

static int readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

static void tgkill_self(int sig) { syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig); }

int main(int argc, char **argv) {
    scratch(argc, argv);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, RT);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigaddset(&usr1, RT);
    int fd = CHECK_OK(signalfd(-1, &usr1, SFD_NONBLOCK | SFD_CLOEXEC));
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    struct signalfd_siginfo si[4];
    CHECK_ERR(read(fd, si, sizeof si), EAGAIN);
    CHECK_EQ(readable(fd), 0);

    /* One pending signal: readable, one record with the sender. */
    tgkill_self(SIGUSR1);
    CHECK_EQ(readable(fd), 1);
    memset(si, 0, sizeof si);
    CHECK_EQ(read(fd, si, sizeof si), sizeof si[0]);
    CHECK_EQ(si[0].ssi_signo, SIGUSR1);
    CHECK_EQ(si[0].ssi_code, SI_TKILL);
    CHECK_EQ(si[0].ssi_pid, getpid());
    CHECK_EQ(si[0].ssi_uid, getuid());
    CHECK_EQ(readable(fd), 0);
    CHECK_ERR(read(fd, si, 100), EINVAL);

    /* Queued real-time signals: as many records as fit, in order, with their values. */
    for (int k = 1; k <= 3; k++) CHECK_OK(sigqueue(getpid(), RT, (union sigval){.sival_int = k}));
    memset(si, 0, sizeof si);
    CHECK_EQ(read(fd, si, 2 * sizeof si[0] + 10), 2 * sizeof si[0]);
    CHECK_EQ(si[0].ssi_int, 1);
    CHECK_EQ(si[1].ssi_int, 2);
    CHECK_EQ(si[0].ssi_code, SI_QUEUE);
    CHECK_EQ(read(fd, si, sizeof si), sizeof si[0]);
    CHECK_EQ(si[0].ssi_int, 3);

    /* Signals outside the mask stay pending for others. */
    tgkill_self(SIGUSR2);
    CHECK_EQ(readable(fd), 0);
    CHECK_ERR(read(fd, si, sizeof si), EAGAIN);

    /* signalfd on the descriptor replaces its mask. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    CHECK_EQ(signalfd(fd, &usr2, 0), fd);
    CHECK_EQ(readable(fd), 1);
    CHECK_EQ(read(fd, si, sizeof si), sizeof si[0]);
    CHECK_EQ(si[0].ssi_signo, SIGUSR2);

    /* epoll sees it become readable. */
    int ep = CHECK_OK(epoll_create1(0));
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
    CHECK_OK(kill(getpid(), SIGUSR2));
    memset(&ev, 0, sizeof ev);
    CHECK_EQ(epoll_wait(ep, &ev, 1, 1000), 1);
    CHECK_EQ(ev.data.u32, 7);
    CHECK_EQ(ev.events, EPOLLIN);
    CHECK_EQ(read(fd, si, sizeof si), sizeof si[0]);
    CHECK_EQ(si[0].ssi_code, SI_USER);

    /* A blocking signalfd: the read waits for a signal another thread sends. */
    int blocking = CHECK_OK(syscall(SYS_signalfd, -1, &usr2, 8));
    CHECK_EQ(fcntl(blocking, F_GETFL) & O_NONBLOCK, 0);
    CHECK_EQ(fcntl(blocking, F_GETFD), 0);
    pthread_t t;
    int sig = SIGUSR2;
    pthread_create(&t, NULL, send_later, &sig);
    memset(si, 0, sizeof si);
    CHECK_EQ(read(blocking, si, sizeof si), sizeof si[0]);
    CHECK_EQ(si[0].ssi_signo, SIGUSR2);
    pthread_join(t, NULL);

    /* Errors. */
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_ERR(signalfd(p[0], &usr2, 0), EINVAL);
    CHECK_ERR(signalfd(9999, &usr2, 0), EBADF);
    CHECK_ERR(signalfd(-1, &usr2, 0x40), EINVAL);
    CHECK_ERR(syscall(SYS_signalfd4, -1, &usr2, 4, 0), EINVAL);
    CHECK_ERR(syscall(SYS_signalfd4, -1, (void *)1, 8, 0), EFAULT);
    CHECK_ERR(syscall(SYS_signalfd, -1, (void *)1, 8), EFAULT);
    CHECK_ERR(write(fd, si, sizeof si[0]), EINVAL);
    void *volatile bad = (void *)1;
    CHECK_ERR(read(fd, bad, sizeof si[0]), EAGAIN);
    tgkill_self(SIGUSR2);
    CHECK_ERR(read(fd, bad, sizeof si[0]), EFAULT);
    CHECK_OK(close(blocking));
    CHECK_OK(close(fd));
    return check_done();
}
