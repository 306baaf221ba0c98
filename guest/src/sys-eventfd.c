/* sys-eventfd: eventfd and eventfd2 flags, the counter's read and write rules (EFD_SEMAPHORE,
 * 8-byte sizes, the 0xffffffffffffffff write, overflow: EAGAIN or waiting for a read),
 * readiness, and the error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

static int shared_fd;
static long got_n;
static uint64_t got_v;

static void *reader(void *arg) {
    (void)arg;
    struct timespec nap = {0, 20000000};
    nanosleep(&nap, NULL);
    got_n = read(shared_fd, &got_v, 8); /* checked after the join: threads print nothing */
    return NULL;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    uint64_t v = 0;
    char small[4];

    /* Flags. */
    int fd = CHECK_OK(eventfd(0, 0));
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    int nb = CHECK_OK(eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC));
    CHECK_EQ(fcntl(nb, F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(nb, F_GETFL) & O_NONBLOCK);
    CHECK_ERR(syscall(SYS_eventfd2, 0, 2), EINVAL);
    CHECK_ERR(syscall(SYS_eventfd2, 0, O_APPEND), EINVAL);
    int old = CHECK_OK(syscall(SYS_eventfd, 5));
    CHECK_EQ(read(old, &v, 8), 8);
    CHECK_EQ(v, 5);
    CHECK_OK(close(old));

    /* The initial value, then reads drain and writes add. */
    CHECK_EQ(read(nb, &v, 8), 8);
    CHECK_EQ(v, 3);
    CHECK_ERR(read(nb, &v, 8), EAGAIN);
    v = 7;
    CHECK_EQ(write(nb, &v, 8), 8);
    CHECK_EQ(write(nb, &v, 8), 8);
    CHECK_EQ(read(nb, &v, 8), 8);
    CHECK_EQ(v, 14);

    /* Sizes: a read needs at least 8 bytes and takes 8; a write is exactly 8 bytes. */
    CHECK_ERR(read(nb, small, 4), EINVAL);
    CHECK_ERR(write(nb, small, 4), EINVAL);
    uint64_t two[2] = {2, 99};
    CHECK_ERR(write(nb, two, 16), EINVAL);
    CHECK_EQ(write(nb, two, 8), 8);
    uint64_t got[2] = {0, 0};
    CHECK_EQ(read(nb, got, 16), 8);
    CHECK_EQ(got[0], 2);
    CHECK_EQ(got[1], 0);
    CHECK_ERR(read(nb, &v, 8), EAGAIN);
    CHECK_ERR(syscall(SYS_read, nb, (void *)1, 8), EAGAIN);
    v = 1;
    CHECK_EQ(write(nb, &v, 8), 8);
    /* A read that cannot copy out still takes the count, as on Linux. */
    CHECK_ERR(syscall(SYS_read, nb, (void *)1, 8), EFAULT);
    CHECK_ERR(read(nb, &v, 8), EAGAIN);
    CHECK_ERR(syscall(SYS_write, nb, (void *)1, 8), EFAULT);

    /* EFD_SEMAPHORE: each read takes one. */
    int sem = CHECK_OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
    CHECK_EQ(read(sem, &v, 8), 8);
    CHECK_EQ(v, 1);
    CHECK_EQ(read(sem, &v, 8), 8);
    CHECK_EQ(v, 1);
    CHECK_ERR(read(sem, &v, 8), EAGAIN);
    CHECK_OK(close(sem));

    /* The largest count is 2^64 - 2: writing 2^64 - 1 is EINVAL; overflowing is EAGAIN. */
    uint64_t max = 0xfffffffffffffffeULL;
    v = 0xffffffffffffffffULL;
    CHECK_ERR(write(nb, &v, 8), EINVAL);
    CHECK_EQ(write(nb, &max, 8), 8);
    v = 1;
    CHECK_ERR(write(nb, &v, 8), EAGAIN);
    v = 0;
    CHECK_EQ(write(nb, &v, 8), 8); /* adding zero always fits */
    struct pollfd p = {nb, POLLIN | POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents, POLLIN);
    CHECK_EQ(read(nb, &v, 8), 8);
    CHECK_EQ(v, max);
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents, POLLOUT);

    /* Blocking: a write that would overflow waits for a reader to make room. */
    shared_fd = fd;
    CHECK_EQ(write(fd, &max, 8), 8);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    v = 5;
    CHECK_EQ(write(fd, &v, 8), 8);
    pthread_join(t, NULL);
    CHECK_EQ(got_n, 8);
    CHECK_EQ(got_v, 0xfffffffffffffffeULL);
    CHECK_EQ(read(fd, &v, 8), 8);
    CHECK_EQ(v, 5);

    CHECK_OK(close(fd));
    CHECK_OK(close(nb));
    CHECK_ERR(read(nb, &v, 8), EBADF);

    /* Last (exit closes them): with every descriptor up to RLIMIT_NOFILE in use, EMFILE. All
     * of this program's own fds are closed, so dup2 fills 3, 4… up to the limit. */
    for (int top = 3; dup2(0, top) == top; top++) {
    }
    CHECK_EQ(errno, EBADF); /* dup2 past the limit */
    CHECK_ERR(syscall(SYS_eventfd, 0), EMFILE);
    CHECK_ERR(eventfd(0, 0), EMFILE);
    return check_done();
}
