/* sys-select: select and pselect6. Read/write/except sets, bits of fds not ready cleared,
 * files always ready, EBADF for a closed fd in a set, nfds limits, timeouts (0, elapsed,
 * NULL with a thread waking the waiter), pselect6's timespec and signal mask, errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"
#include "waiting.h"

int main(int argc, char **argv) {
    scratch(argc, argv);
    int p[2];
    char buf[16];
    CHECK_OK(pipe(p));
    int file = CHECK_OK(open("select-file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    int top = (p[0] > p[1] ? p[0] : p[1]) > file ? (p[0] > p[1] ? p[0] : p[1]) : file;
    fd_set r, w, e;
    struct timeval zero = {0, 0};

    /* Nothing to read on the pipe: its bit is cleared; the write end and the file are ready. */
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(p[0], &r);
    FD_SET(file, &r);
    FD_SET(p[1], &w);
    FD_SET(p[0], &e);
    CHECK_EQ(select(top + 1, &r, &w, &e, &zero), 2);
    CHECK(!FD_ISSET(p[0], &r));
    CHECK(FD_ISSET(file, &r));
    CHECK(FD_ISSET(p[1], &w));
    CHECK(!FD_ISSET(p[0], &e));
    /* Data: readable; a file has no exceptional condition. */
    CHECK_EQ(write(p[1], "x", 1), 1);
    FD_ZERO(&r);
    FD_ZERO(&e);
    FD_SET(p[0], &r);
    FD_SET(file, &e);
    CHECK_EQ(select(top + 1, &r, NULL, &e, &zero), 1);
    CHECK(FD_ISSET(p[0], &r));
    CHECK(!FD_ISSET(file, &e));
    /* Bits at or above nfds are not looked at. */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK_EQ(select(p[0], &r, NULL, NULL, &zero), 0);
    CHECK_EQ(select(0, NULL, NULL, NULL, &zero), 0);
    /* FD_SETSIZE is a fine nfds. */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK_EQ(select(FD_SETSIZE, &r, NULL, NULL, &zero), 1);
    CHECK_EQ(read(p[0], buf, sizeof buf), 1);

    /* Timeouts: elapsed (the timeval is checked), and a write from another thread. */
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, 30000};
    long long start = now_ms();
    CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 0);
    CHECK(now_ms() - start >= 29);
    CHECK(!FD_ISSET(p[0], &r));
    wake_fd = p[1];
    pthread_t t;
    pthread_create(&t, NULL, late_writer, NULL);
    FD_SET(p[0], &r);
    CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, NULL), 1);
    CHECK(FD_ISSET(p[0], &r));
    pthread_join(t, NULL);
    CHECK_EQ(wrote, 1);
    CHECK_EQ(read(p[0], buf, sizeof buf), 1);

    /* pselect6: a timespec and a signal mask. */
    struct timespec ts = {0, 20000000};
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    start = now_ms();
    CHECK_EQ(pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask), 0);
    CHECK(now_ms() - start >= 19);
    struct { const sigset_t *ss; size_t len; } bad = {&mask, 4};
    ts.tv_nsec = 0;
    CHECK_ERR(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &bad), EINVAL);
    ts.tv_nsec = -1;
    CHECK_ERR(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), EINVAL);

    /* The mask is in force during the call only. */
    sigset_t keep, open_;
    sigemptyset(&keep);
    sigaddset(&keep, SIGUSR1);
    sigemptyset(&open_);
    struct timespec zero_ts = {0, 0}, long_ts = {5, 0};
    fd_set r2;
    FD_ZERO(&r2);
    FD_SET(p[0], &r2);
    CHECK_MASKED_CALL(pselect(p[0] + 1, &r2, NULL, NULL, &zero_ts, &keep), pselect(p[0] + 1, &r2, NULL, NULL, &long_ts, &open_));

    /* The write end's reader gone: writable (and the write fails). A closed read end's
     * writer gone: readable at end of file. */
    CHECK_OK(close(p[0]));
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    CHECK_EQ(select(p[1] + 1, NULL, &w, NULL, &zero), 1);
    CHECK(FD_ISSET(p[1], &w));

    /* Errors. */
    FD_ZERO(&r);
    FD_SET(p[0], &r); /* closed */
    CHECK_ERR(select(p[0] + 1, &r, NULL, NULL, &zero), EBADF);
    CHECK_ERR(select(-1, NULL, NULL, NULL, &zero), EINVAL);
    tv.tv_sec = -1;
    tv.tv_usec = 0;
    FD_ZERO(&r);
    CHECK_ERR(select(1, &r, NULL, NULL, &tv), EINVAL);
    CHECK_ERR(syscall(SYS_select, 1, (void *)1, NULL, NULL, &zero), EFAULT);
    CHECK_ERR(syscall(SYS_select, 1, NULL, NULL, NULL, (void *)1), EFAULT);
    CHECK_OK(close(p[1]));
    CHECK_OK(close(file));
    return check_done();
}
