/* pipes: a producer thread writes through a pipe to a reader that blocks on it; an eventfd
 * wakes an epoll_wait in another thread; a timed epoll_wait with nothing ready times out. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int fds[2], efd;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        char msg[32];
        int n = snprintf(msg, sizeof msg, "message %d\n", i);
        usleep(1000);
        if (write(fds[1], msg, (size_t)n) != n) return (void *)1;
    }
    close(fds[1]);
    uint64_t one = 7;
    write(efd, &one, sizeof one);
    return 0;
}

int main(void)
{
    if (pipe(fds) != 0 || (efd = eventfd(0, 0)) < 0) { perror("setup"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) != 0) { perror("epoll_ctl"); return 1; }
    struct epoll_event got[4];
    printf("timed wait with nothing ready: %d\n", epoll_wait(ep, got, 4, 20));
    pthread_t t;
    pthread_create(&t, 0, producer, 0);
    char buf[256];
    size_t total = 0;
    ssize_t n;
    while ((n = read(fds[0], buf + total, sizeof buf - total)) > 0) total += (size_t)n;
    buf[total] = 0;
    printf("read %zu bytes until EOF:\n%s", total, buf);
    int r = epoll_wait(ep, got, 4, -1);
    uint64_t v = 0;
    read(efd, &v, sizeof v);
    printf("epoll_wait %d event data %llu eventfd %llu\n", r, (unsigned long long)got[0].data.u64, (unsigned long long)v);
    pthread_join(t, 0);
    return 0;
}
