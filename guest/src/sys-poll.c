/* sys-poll: poll and ppoll. POLLIN/POLLOUT/POLLHUP/POLLERR of pipes, files always ready,
 * POLLNVAL for closed fds, negative fds ignored, revents cleared, timeouts (0, elapsed, a
 * thread waking the waiter), nfds limits, ppoll's timespec and signal mask, error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"
#include "waiting.h"

int main(int argc, char **argv) {
    scratch(argc, argv);
    int p[2];
    char buf[16];
    CHECK_OK(pipe(p));
    int file = CHECK_OK(open("poll-file", O_CREAT | O_RDWR | O_TRUNC, 0644));

    /* Readiness now, with timeout 0; revents are rewritten, not or-ed. */
    struct pollfd f[5] = {{p[0], POLLIN, 0x7777}, {p[1], POLLOUT, 0}, {file, POLLIN | POLLOUT, 0}, {-1, POLLIN, 0x5555}, {9999, POLLIN, 0}};
    CHECK_EQ(poll(f, 5, 0), 3);
    CHECK_EQ(f[0].revents, 0);
    CHECK_EQ(f[1].revents, POLLOUT);
    CHECK_EQ(f[2].revents, POLLIN | POLLOUT);
    CHECK_EQ(f[3].revents, 0); /* negative fds are ignored */
    CHECK_EQ(f[4].revents, POLLNVAL);
    CHECK_EQ(write(p[1], "x", 1), 1);
    f[0].events = POLLIN | POLLRDNORM | POLLPRI;
    CHECK_EQ(poll(f, 1, 0), 1);
    CHECK_EQ(f[0].revents, POLLIN | POLLRDNORM);
    f[0].events = 0; /* nothing asked: still nothing but errors and hangups */
    CHECK_EQ(poll(f, 1, 0), 0);
    CHECK_EQ(f[0].revents, 0);
    CHECK_EQ(poll(NULL, 0, 0), 0);

    /* Timeouts: elapsed, and a write from another thread ends the wait. */
    CHECK_EQ(read(p[0], buf, sizeof buf), 1);
    f[0].events = POLLIN;
    f[0].revents = POLLOUT;
    long long start = now_ms();
    CHECK_EQ(poll(f, 1, 30), 0);
    CHECK_EQ(f[0].revents, 0);
    CHECK(now_ms() - start >= 29);
    wake_fd = p[1];
    pthread_t t;
    pthread_create(&t, NULL, late_writer, NULL);
    CHECK_EQ(poll(f, 1, -1), 1);
    CHECK_EQ(f[0].revents, POLLIN);
    pthread_join(t, NULL);
    CHECK_EQ(wrote, 1);
    CHECK_EQ(read(p[0], buf, sizeof buf), 1);

    /* ppoll: a timespec and a signal mask. */
    struct timespec ts = {0, 20000000};
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    start = now_ms();
    CHECK_EQ(ppoll(f, 1, &ts, &mask), 0);
    CHECK(now_ms() - start >= 19);
    ts.tv_nsec = 0;
    CHECK_EQ(ppoll(f, 1, &ts, NULL), 0);
    CHECK_ERR(syscall(SYS_ppoll, f, 1, &ts, &mask, 4), EINVAL);
    ts.tv_nsec = 1000000000;
    CHECK_ERR(ppoll(f, 1, &ts, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_ppoll, f, 1, (void *)1, NULL, 8), EFAULT);

    /* The mask is in force during the call only. */
    sigset_t keep, open_;
    sigemptyset(&keep);
    sigaddset(&keep, SIGUSR1);
    sigemptyset(&open_);
    struct timespec long_ts = {5, 0};
    ts.tv_nsec = 0;
    CHECK_MASKED_CALL(ppoll(f, 1, &ts, &keep), ppoll(f, 1, &long_ts, &open_));

    /* Closed ends. */
    CHECK_OK(close(p[1]));
    f[0].events = POLLIN;
    CHECK_EQ(poll(f, 1, 0), 1);
    CHECK_EQ(f[0].revents, POLLHUP);
    int q[2];
    CHECK_OK(pipe(q));
    CHECK_OK(close(q[0]));
    f[1].fd = q[1];
    f[1].events = 0;
    CHECK_EQ(poll(&f[1], 1, 0), 1);
    CHECK_EQ(f[1].revents, POLLERR);

    /* Errors: bad pointers, too many fds. */
    CHECK_ERR(syscall(SYS_poll, (void *)1, 1, 0), EFAULT);
    CHECK_ERR(syscall(SYS_poll, f, -1, 0), EINVAL);
    CHECK_ERR(syscall(SYS_poll, f, 0x7fffffff, 0), EINVAL);
    CHECK_OK(close(p[0]));
    CHECK_OK(close(q[1]));
    CHECK_OK(close(file));
    return check_done();
}
