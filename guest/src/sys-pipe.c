/* sys-pipe: pipe and pipe2 (flags), reads and writes at the edges: EOF, EAGAIN, EPIPE with
 * SIGPIPE ignored, PIPE_BUF atomicity over Linux's 16 page buffers, FIONREAD, blocking writes
 * larger than the pipe, and readiness of both ends. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include "check.h"

static char big[200000];
static volatile int sigpipes;

static void on_sigpipe(int sig) {
    if (sig == SIGPIPE) sigpipes++;
}
static int drain_fd;
static long drained;

static void *drain(void *arg) {
    (void)arg;
    char buf[3000];
    long n;
    while ((n = read(drain_fd, buf, sizeof buf)) > 0) drained += n;
    return NULL;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    int p[2];
    char buf[8192];

    /* pipe and pipe2 flags. */
    CHECK_OK(pipe(p));
    CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
    CHECK_EQ(fcntl(p[0], F_GETFD), 0);
    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));
    CHECK_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
    CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    CHECK_ERR(syscall(SYS_pipe2, p, O_APPEND), EINVAL);
    CHECK_ERR(syscall(SYS_pipe2, (void *)1, 0), EFAULT);
    CHECK_ERR(syscall(SYS_pipe, (void *)1), EFAULT);

    /* Empty and nonblocking: EAGAIN; the wrong direction: EBADF. */
    CHECK_ERR(read(p[0], buf, 10), EAGAIN);
    CHECK_EQ(read(p[0], buf, 0), 0);
    CHECK_ERR(write(p[0], "x", 1), EBADF);
    CHECK_ERR(read(p[1], buf, 1), EBADF);
    CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);

    /* FIONREAD counts the unread bytes. */
    int avail = -1;
    CHECK_EQ(write(p[1], "hello", 5), 5);
    CHECK_EQ(write(p[1], " world", 6), 6);
    CHECK_OK(ioctl(p[0], FIONREAD, &avail));
    CHECK_EQ(avail, 11);
    CHECK_EQ(read(p[0], buf, 7), 7);
    CHECK(memcmp(buf, "hello w", 7) == 0);
    CHECK_OK(ioctl(p[0], FIONREAD, &avail));
    CHECK_EQ(avail, 4);
    CHECK_EQ(read(p[0], buf, sizeof buf), 4);

    /* 16 page buffers: 16 page-sized writes fill the pipe; then nothing fits. */
    memset(big, 'a', sizeof big);
    int pages = 0;
    while (write(p[1], big, 4096) == 4096) pages++;
    CHECK_EQ(pages, 16);
    CHECK_ERR(write(p[1], big, 1), EAGAIN);
    CHECK_OK(ioctl(p[0], FIONREAD, &avail));
    CHECK_EQ(avail, 65536);
    struct pollfd w = {p[1], POLLOUT, 0};
    CHECK_EQ(poll(&w, 1, 0), 0);
    /* Part of a page read: still 16 buffers, still full. */
    CHECK_EQ(read(p[0], buf, 100), 100);
    CHECK_ERR(write(p[1], big, 1), EAGAIN);
    /* A whole page read: one buffer free; a write of at most PIPE_BUF is never split. */
    CHECK_EQ(read(p[0], buf, 3996), 3996);
    CHECK_EQ(poll(&w, 1, 0), 1);
    CHECK_EQ(w.revents, POLLOUT);
    CHECK_EQ(write(p[1], big, 4000), 4000);
    CHECK_ERR(write(p[1], big, 200), EAGAIN); /* 96 bytes of room in the last page: all or nothing */
    CHECK_EQ(write(p[1], big, 96), 96);       /* ...but 96 merge into it */
    /* More than PIPE_BUF may be written in part: one free page takes 4096 of 5000. */
    CHECK_EQ(read(p[0], buf, 4096), 4096);
    CHECK_EQ(write(p[1], big, 5000), 4096);
    while (read(p[0], buf, sizeof buf) > 0) {
    }

    /* A blocking write larger than the pipe returns when all of it is in, as a reader drains. */
    int q[2];
    CHECK_OK(pipe(q));
    drain_fd = q[0];
    pthread_t t;
    pthread_create(&t, NULL, drain, NULL);
    CHECK_EQ(write(q[1], big, sizeof big), (long)sizeof big);
    CHECK_OK(close(q[1]));
    pthread_join(t, NULL);
    CHECK_EQ(drained, (long)sizeof big);
    CHECK_OK(close(q[0]));

    /* The write end closed: data first, then end of file and POLLHUP. */
    CHECK_EQ(write(p[1], "bye", 3), 3);
    CHECK_OK(close(p[1]));
    struct pollfd r = {p[0], POLLIN, 0};
    CHECK_EQ(poll(&r, 1, 0), 1);
    CHECK_EQ(r.revents, POLLIN | POLLHUP);
    CHECK_EQ(read(p[0], buf, sizeof buf), 3);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
    CHECK_EQ(poll(&r, 1, 0), 1);
    CHECK_EQ(r.revents, POLLHUP);
    CHECK_OK(close(p[0]));

    /* The read end closed: SIGPIPE to the writer (handled here), and EPIPE. */
    CHECK_OK(pipe(p));
    CHECK_OK(close(p[0]));
    signal(SIGPIPE, on_sigpipe);
    CHECK_ERR(write(p[1], "x", 1), EPIPE);
    CHECK_EQ(sigpipes, 1);
    /* Ignored, it is just EPIPE; POLLERR on the write end. */
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR(write(p[1], "x", 1), EPIPE);
    CHECK_EQ(sigpipes, 1);
    CHECK_EQ(write(p[1], "x", 0), 0);
    w.fd = p[1];
    CHECK_EQ(poll(&w, 1, 0), 1);
    CHECK_EQ(w.revents, POLLOUT | POLLERR);
    CHECK_OK(close(p[1]));
    CHECK_ERR(close(p[1]), EBADF);
    return check_done();
}
