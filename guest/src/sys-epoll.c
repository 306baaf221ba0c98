/* sys-epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait. Level- and
 * edge-triggered reporting (an edge is a new event, not a change of state), EPOLLONESHOT,
 * EPOLLEXCLUSIVE, HUP/ERR of pipes with a closed end, the ready list's round robin, interests
 * dropped with their file, nested epoll, blocking waits, and every error return. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"
#include "waiting.h"

/* Adds fd to ep for `events` with `data`. */
static int add(int ep, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev = {events, {.u64 = data}};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct epoll_event ev[4], one;
    char buf[64];
    int a[2], b[2];

    /* Creation. */
    /* Raw: musl's epoll_create ignores the size. */
    CHECK_ERR(syscall(SYS_epoll_create, 0), EINVAL);
    CHECK_ERR(syscall(SYS_epoll_create, -1), EINVAL);
    int ep = CHECK_OK(epoll_create(1));
    CHECK_EQ(fcntl(ep, F_GETFD), 0);
    int ep2 = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
    CHECK_EQ(fcntl(ep2, F_GETFD), FD_CLOEXEC);
    CHECK_ERR(epoll_create1(1), EINVAL);
    CHECK_OK(pipe(a));
    CHECK_OK(pipe(b));
    int file = CHECK_OK(open("epoll-file", O_CREAT | O_RDWR | O_TRUNC, 0644));

    /* epoll_ctl errors, in Linux's order. */
    one.events = EPOLLIN;
    one.data.u64 = 0;
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, a[0], (void *)1), EFAULT);
    CHECK_ERR(epoll_ctl(9999, EPOLL_CTL_ADD, a[0], &one), EBADF);
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 9999, &one), EBADF);
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, file, &one), EPERM);
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &one), EINVAL);
    CHECK_ERR(epoll_ctl(a[1], EPOLL_CTL_ADD, a[0], &one), EINVAL);
    CHECK_ERR(epoll_ctl(ep, 99, a[0], &one), EINVAL);
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, a[0], NULL), ENOENT);
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &one), ENOENT);
    CHECK_OK(add(ep, a[0], EPOLLIN, 1));
    CHECK_ERR(add(ep, a[0], EPOLLIN, 1), EEXIST);

    /* epoll_wait errors. */
    CHECK_ERR(epoll_wait(ep, ev, 0, 0), EINVAL);
    CHECK_ERR(syscall(SYS_epoll_wait, ep, ev, -1, 0), EINVAL);
    CHECK_ERR(epoll_wait(9999, ev, 4, 0), EBADF);
    CHECK_ERR(epoll_wait(a[0], ev, 4, 0), EINVAL);
    CHECK_EQ(syscall(SYS_epoll_wait, ep, (void *)1, 4, 0), 0); /* nothing to copy: no fault */

    /* Level-triggered: reported as long as it is ready. */
    CHECK_EQ(write(a[1], "xy", 2), 2);
    CHECK_ERR(syscall(SYS_epoll_wait, ep, (void *)1, 4, 0), EFAULT);
    CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1);
    CHECK_EQ(ev[0].events, EPOLLIN);
    CHECK_EQ(ev[0].data.u64, 1);
    CHECK_EQ(epoll_wait(ep, ev, 4, 0), 1);
    CHECK_EQ(read(a[0], buf, sizeof buf), 2);
    CHECK_EQ(epoll_wait(ep, ev, 4, 0), 0);

    /* Edge-triggered: one report per event; new data is a new event even on a readable pipe;
     * a read is no event for the read end. */
    CHECK_OK(add(ep2, b[0], EPOLLIN | EPOLLET, 2));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_EQ(write(b[1], "a", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].events, EPOLLIN);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_EQ(write(b[1], "b", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(read(b[0], buf, 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    /* A failed copy-out loses no event. */
    CHECK_EQ(write(b[1], "c", 1), 1);
    CHECK_ERR(syscall(SYS_epoll_wait, ep2, (void *)1, 4, 0), EFAULT);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].data.u64, 2);
    /* MOD re-polls: still readable, so reported once more. */
    one.events = EPOLLIN | EPOLLET;
    one.data.u64 = 3;
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_MOD, b[0], &one));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].data.u64, 3);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    while (read(b[0], buf, 1) == 1 && buf[0] != 'c') {
    }
    /* The write end, edge-triggered: writable once; a read of a pipe that was not full is no event. */
    CHECK_OK(add(ep2, b[1], EPOLLOUT | EPOLLET, 4));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].events, EPOLLOUT);
    CHECK_EQ(ev[0].data.u64, 4);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, b[1], NULL));
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, b[0], NULL));
    CHECK_ERR(epoll_ctl(ep2, EPOLL_CTL_DEL, b[0], NULL), ENOENT);

    /* EPOLLONESHOT: one report, then silence until EPOLL_CTL_MOD re-arms it. */
    CHECK_OK(add(ep2, b[0], EPOLLIN | EPOLLONESHOT, 5));
    CHECK_EQ(write(b[1], "d", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_EQ(write(b[1], "e", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_ERR(add(ep2, b[0], EPOLLIN, 5), EEXIST);
    one.events = EPOLLIN | EPOLLONESHOT;
    one.data.u64 = 6;
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_MOD, b[0], &one));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].data.u64, 6);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_EQ(read(b[0], buf, sizeof buf), 2);
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, b[0], NULL));

    /* EPOLLEXCLUSIVE: accepted by ADD, refused by MOD and with ONESHOT or an epoll target. */
    CHECK_OK(add(ep2, b[0], EPOLLIN | EPOLLEXCLUSIVE, 7));
    one.events = EPOLLIN;
    CHECK_ERR(epoll_ctl(ep2, EPOLL_CTL_MOD, b[0], &one), EINVAL);
    one.events = EPOLLIN | EPOLLEXCLUSIVE;
    CHECK_ERR(epoll_ctl(ep2, EPOLL_CTL_MOD, b[0], &one), EINVAL);
    CHECK_ERR(add(ep2, b[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 8), EINVAL);
    CHECK_ERR(add(ep2, ep, EPOLLIN | EPOLLEXCLUSIVE, 8), EINVAL);
    CHECK_EQ(write(b[1], "f", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].data.u64, 7);
    CHECK_EQ(read(b[0], buf, sizeof buf), 1);
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, b[0], NULL));

    /* The ready list is served round robin: with room for one event, two ready pipes alternate. */
    CHECK_OK(add(ep2, a[0], EPOLLIN, 10));
    CHECK_OK(add(ep2, b[0], EPOLLIN, 11));
    CHECK_EQ(write(a[1], "1", 1), 1);
    CHECK_EQ(write(b[1], "2", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 1, 0), 1);
    uint64_t first = ev[0].data.u64;
    CHECK(first == 10 || first == 11);
    CHECK_EQ(epoll_wait(ep2, ev, 1, 0), 1);
    CHECK_EQ(ev[0].data.u64, 21 - first);
    CHECK_EQ(epoll_wait(ep2, ev, 1, 0), 1);
    CHECK_EQ(ev[0].data.u64, first);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 2);

    /* Nested: an epoll fd is readable when one of its interests is ready. */
    int outer = CHECK_OK(epoll_create1(0));
    CHECK_OK(add(outer, ep2, EPOLLIN, 12));
    CHECK_EQ(epoll_wait(outer, ev, 4, 0), 1);
    CHECK_EQ(ev[0].events, EPOLLIN);
    CHECK_EQ(ev[0].data.u64, 12);
    struct pollfd pf = {ep2, POLLIN, 0};
    CHECK_EQ(poll(&pf, 1, 0), 1);
    CHECK_EQ(pf.revents, POLLIN);
    CHECK_EQ(read(a[0], buf, sizeof buf), 1);
    CHECK_EQ(read(b[0], buf, sizeof buf), 1);
    CHECK_EQ(poll(&pf, 1, 0), 0);
    CHECK_EQ(epoll_wait(outer, ev, 4, 0), 0);
    CHECK_OK(close(outer));
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, a[0], NULL));
    CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, b[0], NULL));

    /* Closed ends: EPOLLHUP for the reader (EPOLLRDHUP is a socket event, never a pipe's),
     * EPOLLERR for the writer. */
    int c[2], d[2];
    CHECK_OK(pipe(c));
    CHECK_OK(pipe(d));
    CHECK_OK(add(ep2, c[0], EPOLLIN | EPOLLRDHUP | EPOLLET, 13));
    CHECK_OK(add(ep2, d[1], EPOLLOUT, 14));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].data.u64, 14);
    CHECK_OK(close(c[1]));
    CHECK_OK(close(d[0]));
    int n = epoll_wait(ep2, ev, 4, 0);
    CHECK_EQ(n, 2);
    for (int k = 0; k < n; k++) {
        if (ev[k].data.u64 == 13) CHECK_EQ(ev[k].events, EPOLLHUP);
        else CHECK_EQ(ev[k].events, EPOLLOUT | EPOLLERR);
    }

    /* Closing a watched fd drops its interest; a dup keeps the file, and the interest, alive. */
    CHECK_OK(close(c[0]));
    CHECK_OK(close(d[1]));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_OK(pipe(c));
    CHECK_OK(add(ep2, c[0], EPOLLIN, 15));
    int dup0 = CHECK_OK(dup(c[0]));
    int old = c[0];
    CHECK_OK(close(c[0]));
    CHECK_EQ(write(c[1], "g", 1), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].data.u64, 15);
    CHECK_ERR(epoll_ctl(ep2, EPOLL_CTL_DEL, old, NULL), EBADF);
    CHECK_ERR(epoll_ctl(ep2, EPOLL_CTL_DEL, dup0, NULL), ENOENT);
    CHECK_OK(close(dup0));
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);

    /* eventfd, edge-triggered: every write is an event. */
    int efd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
    CHECK_OK(add(ep2, efd, EPOLLIN | EPOLLET, 16));
    uint64_t one64 = 1;
    CHECK_EQ(write(efd, &one64, 8), 8);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 0);
    CHECK_EQ(write(efd, &one64, 8), 8);
    CHECK_EQ(epoll_wait(ep2, ev, 4, 0), 1);
    CHECK_EQ(ev[0].events, EPOLLIN);

    /* epoll_pwait: a signal mask of the right size. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    CHECK_EQ(epoll_pwait(ep2, ev, 4, 0, &mask), 0);
    CHECK_EQ(epoll_pwait(ep2, ev, 4, 0, NULL), 0);
    CHECK_ERR(syscall(SYS_epoll_pwait, ep2, ev, 4, 0, &mask, 4), EINVAL);
    CHECK_ERR(syscall(SYS_epoll_pwait, ep2, ev, 0, 0, &mask, 8), EINVAL);

    /* The mask is in force during the call only. */
    sigset_t keep, open_;
    sigemptyset(&keep);
    sigaddset(&keep, SIGUSR1);
    sigemptyset(&open_);
    CHECK_MASKED_CALL(epoll_pwait(ep, ev, 4, 0, &keep), epoll_pwait(ep, ev, 4, 5000, &open_));

    /* Blocking: a timeout passes; another thread's write wakes the waiter. */
    long long start = now_ms();
    CHECK_EQ(epoll_wait(ep, ev, 4, 30), 0);
    CHECK(now_ms() - start >= 29);
    wake_fd = a[1];
    pthread_t t;
    pthread_create(&t, NULL, late_writer, NULL);
    CHECK_EQ(epoll_wait(ep, ev, 4, 5000), 1);
    CHECK_EQ(ev[0].data.u64, 1);
    pthread_join(t, NULL);
    CHECK_EQ(wrote, 1);
    CHECK_EQ(read(a[0], buf, sizeof buf), 1);

    CHECK_OK(close(ep));
    CHECK_OK(close(ep2));
    CHECK_OK(close(efd));
    CHECK_OK(close(file));
    return check_done();
}
