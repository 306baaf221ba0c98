/* sys-timerfd: timerfd_create, timerfd_settime, timerfd_gettime and reading the expiration
 * count: relative, absolute and periodic timers on CLOCK_MONOTONIC, CLOCK_REALTIME and
 * CLOCK_BOOTTIME, readiness in poll/epoll/select, and the error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include "check.h"

static long long now_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct itimerspec after_ms(long value, long interval) {
    struct itimerspec s = {{interval / 1000, (interval % 1000) * 1000000L}, {value / 1000, (value % 1000) * 1000000L}};
    return s;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    uint64_t ticks = 0;

    /* Clocks and flags. */
    int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, 0));
    int rt = CHECK_OK(timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC));
    int boot = CHECK_OK(timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK));
    CHECK_EQ(fcntl(rt, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    CHECK(fcntl(boot, F_GETFL) & O_NONBLOCK);
    CHECK_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
    CHECK_ERR(timerfd_create(12345, 0), EINVAL);
    CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);

    /* A disarmed timer reports zeros and is never ready. */
    struct itimerspec cur;
    memset(&cur, 0xff, sizeof cur);
    CHECK_OK(timerfd_gettime(fd, &cur));
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
    CHECK_ERR(read(boot, &ticks, 8), EAGAIN);
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 0), 0);

    /* gettime counts down from the setting. */
    struct itimerspec s = after_ms(900, 0);
    CHECK_OK(timerfd_settime(fd, 0, &s, NULL));
    CHECK_OK(timerfd_gettime(fd, &cur));
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 900000000);
    /* A relative one-shot timer: read blocks until it expires once. */
    s = after_ms(30, 0);
    long long start = now_ns(CLOCK_MONOTONIC);
    CHECK_OK(timerfd_settime(fd, 0, &s, NULL));
    CHECK_EQ(read(fd, &ticks, 8), 8);
    CHECK_EQ(ticks, 1);
    CHECK(now_ns(CLOCK_MONOTONIC) - start >= 30000000);
    /* Expired and read: disarmed, zeros again, and a short buffer is EINVAL. */
    CHECK_OK(timerfd_gettime(fd, &cur));
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    CHECK_ERR(read(fd, &ticks, 4), EINVAL);
    CHECK_ERR(write(fd, &ticks, 8), EINVAL);

    /* The old value comes back from settime; a zero value disarms. */
    s = after_ms(5000, 250);
    CHECK_OK(timerfd_settime(fd, 0, &s, NULL));
    struct itimerspec old;
    struct itimerspec zero = after_ms(0, 0);
    CHECK_OK(timerfd_settime(fd, 0, &zero, &old));
    CHECK(old.it_value.tv_sec == 4 || old.it_value.tv_sec == 5);
    CHECK(old.it_interval.tv_sec == 0 && old.it_interval.tv_nsec == 250000000);
    CHECK_OK(timerfd_gettime(fd, &cur));
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    /* A periodic timer counts every period missed; after a read the count starts again. */
    s = after_ms(10, 10);
    start = now_ns(CLOCK_MONOTONIC);
    CHECK_OK(timerfd_settime(boot, 0, &s, NULL));
    struct timespec nap = {0, 45000000};
    nanosleep(&nap, NULL);
    CHECK_EQ(read(boot, &ticks, 8), 8);
    long long elapsed = now_ns(CLOCK_MONOTONIC) - start;
    CHECK(ticks >= 4 && (long long)ticks <= elapsed / 10000000);
    CHECK_OK(timerfd_gettime(boot, &cur));
    CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10000000);
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 10000000);
    /* Resetting drops unread expirations. */
    nanosleep(&nap, NULL);
    s = after_ms(10000, 0);
    CHECK_OK(timerfd_settime(boot, 0, &s, NULL));
    CHECK_ERR(read(boot, &ticks, 8), EAGAIN);

    /* TFD_TIMER_ABSTIME on CLOCK_MONOTONIC and CLOCK_REALTIME; a time in the past fires at once. */
    long long target = now_ns(CLOCK_MONOTONIC) + 20000000;
    s.it_interval.tv_sec = s.it_interval.tv_nsec = 0;
    s.it_value.tv_sec = target / 1000000000;
    s.it_value.tv_nsec = target % 1000000000;
    CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL));
    CHECK_EQ(read(fd, &ticks, 8), 8);
    CHECK_EQ(ticks, 1);
    CHECK(now_ns(CLOCK_MONOTONIC) >= target);
    target = now_ns(CLOCK_REALTIME) + 20000000;
    s.it_value.tv_sec = target / 1000000000;
    s.it_value.tv_nsec = target % 1000000000;
    CHECK_OK(timerfd_settime(rt, TFD_TIMER_ABSTIME, &s, NULL));
    CHECK_EQ(read(rt, &ticks, 8), 8);
    CHECK_EQ(ticks, 1);
    CHECK(now_ns(CLOCK_REALTIME) >= target - 1000000);
    s = after_ms(1, 0);
    s.it_value.tv_sec = 1; /* 1970: long past */
    CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL));
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents, POLLIN);
    CHECK_EQ(read(fd, &ticks, 8), 8);
    CHECK_EQ(ticks, 1);

    /* Readiness: poll, epoll and select wait for the expiration (long enough that a slow
     * emulator still sees it pending first). */
    s = after_ms(400, 0);
    CHECK_OK(timerfd_settime(fd, 0, &s, NULL));
    p.revents = 0;
    CHECK_EQ(poll(&p, 1, 0), 0);
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK_EQ(p.revents, POLLIN);
    CHECK_EQ(read(fd, &ticks, 8), 8);
    int ep = CHECK_OK(epoll_create1(0));
    struct epoll_event ev = {EPOLLIN, {.u64 = 77}};
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    CHECK_OK(timerfd_settime(fd, 0, &s, NULL));
    CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
    ev.events = 0;
    CHECK_EQ(epoll_wait(ep, &ev, 1, 5000), 1);
    CHECK_EQ(ev.events, EPOLLIN);
    CHECK_EQ(ev.data.u64, 77);
    CHECK_EQ(read(fd, &ticks, 8), 8);
    CHECK_OK(timerfd_settime(fd, 0, &s, NULL));
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    struct timeval tv = {5, 0};
    CHECK_EQ(select(fd + 1, &set, NULL, NULL, &tv), 1);
    CHECK(FD_ISSET(fd, &set));
    CHECK_EQ(read(fd, &ticks, 8), 8);
    CHECK_EQ(ticks, 1);

    /* Errors. */
    CHECK_ERR(timerfd_settime(9999, 0, &s, NULL), EBADF);
    CHECK_ERR(timerfd_settime(ep, 0, &s, NULL), EINVAL);
    CHECK_ERR(timerfd_settime(fd, 0, (void *)1, NULL), EFAULT);
    CHECK_ERR(timerfd_settime(fd, 0, &s, (void *)1), EFAULT);
    CHECK_ERR(timerfd_settime(fd, 4, &s, NULL), EINVAL);
    s.it_value.tv_nsec = 1000000000;
    CHECK_ERR(timerfd_settime(fd, 0, &s, NULL), EINVAL);
    s = after_ms(10, 0);
    s.it_interval.tv_sec = -1;
    CHECK_ERR(timerfd_settime(fd, 0, &s, NULL), EINVAL);
    CHECK_ERR(timerfd_gettime(9999, &cur), EBADF);
    CHECK_ERR(timerfd_gettime(ep, &cur), EINVAL);
    CHECK_ERR(timerfd_gettime(fd, (void *)1), EFAULT);
    CHECK_OK(close(fd));
    CHECK_OK(close(rt));
    CHECK_OK(close(boot));
    CHECK_OK(close(ep));
    return check_done();
}
