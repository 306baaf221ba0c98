/* sys-socketpair: AF_UNIX socketpair of each type (stream, datagram, seqpacket), their flags,
 * message boundaries, shutdown and close (EOF, EPIPE, SIGPIPE), readiness, a reader blocked
 * until another thread writes, and the error returns of socket and socketpair. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <netinet/in.h>
#include "check.h"

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void *late_writer(void *arg) {
    int fd = *(int *)arg;
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    write(fd, "late", 4);
    return NULL;
}

static void stream_pair(void) {
    int sv[2];
    char buf[64];
    CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(sv[0] >= 0 && sv[1] > sv[0]);
    /* Both ends read and write; a stream merges writes. */
    CHECK_EQ(write(sv[0], "hello ", 6), 6);
    CHECK_EQ(write(sv[0], "world", 5), 5);
    int avail = -1;
    CHECK_OK(ioctl(sv[1], FIONREAD, &avail));
    CHECK_EQ(avail, 11);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 11);
    CHECK(memcmp(buf, "hello world", 11) == 0);
    CHECK_EQ(write(sv[1], "back", 4), 4);
    CHECK_EQ(recv(sv[0], buf, 2, MSG_PEEK), 2);
    CHECK_EQ(recv(sv[0], buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "back", 4) == 0);
    CHECK_ERR(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);

    /* The address of a socketpair end is unnamed: just the family. */
    struct sockaddr_un sun;
    socklen_t len = sizeof sun;
    CHECK_OK(getsockname(sv[0], (struct sockaddr *)&sun, &len));
    CHECK_EQ(len, sizeof(sa_family_t));
    CHECK_EQ(sun.sun_family, AF_UNIX);
    len = sizeof sun;
    CHECK_OK(getpeername(sv[0], (struct sockaddr *)&sun, &len));
    CHECK_EQ(len, sizeof(sa_family_t));

    /* A blocked reader wakes when another thread writes. */
    pthread_t t;
    pthread_create(&t, NULL, late_writer, &sv[0]);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 4);
    CHECK(memcmp(buf, "late", 4) == 0);
    pthread_join(t, NULL);

    /* Readiness: writable at once, readable after a write. */
    struct pollfd p = {sv[1], POLLIN | POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents, POLLOUT);
    write(sv[0], "x", 1);
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents, POLLIN | POLLOUT);
    read(sv[1], buf, 1);

    /* SHUT_WR: the peer reads end of file; writing is EPIPE (MSG_NOSIGNAL: no signal). */
    CHECK_OK(shutdown(sv[0], SHUT_WR));
    CHECK_EQ(read(sv[1], buf, sizeof buf), 0);
    CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    p.fd = sv[1];
    p.events = POLLIN;
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents & (POLLIN | POLLRDHUP), POLLIN);
    /* The other direction still works. */
    CHECK_EQ(write(sv[1], "ok", 2), 2);
    CHECK_EQ(read(sv[0], buf, sizeof buf), 2);
    CHECK_ERR(shutdown(sv[0], 7), EINVAL);

    /* Closing one end: end of file, then EPIPE and SIGPIPE for a writer. */
    CHECK_OK(close(sv[1]));
    CHECK_EQ(read(sv[0], buf, sizeof buf), 0);
    signal(SIGPIPE, on_sigpipe);
    CHECK_ERR(write(sv[0], "x", 1), EPIPE);
    CHECK_EQ(sigpipes, 1);
    CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_EQ(sigpipes, 1);
    signal(SIGPIPE, SIG_DFL);
    p.fd = sv[0];
    p.events = POLLIN;
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK_EQ(p.revents & (POLLIN | POLLHUP), POLLIN | POLLHUP);
    close(sv[0]);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal interrupts a blocked read (EINTR), unless SA_RESTART restarts it. */
static void interrupted(void) {
    int sv[2];
    char buf[8];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 30000}};
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK_ERR(read(sv[0], buf, sizeof buf), EINTR);
    /* With SA_RESTART the alarm (10 ms) interrupts the read and it restarts until the writer
     * (20 ms) comes. */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    it.it_value.tv_usec = 10000;
    setitimer(ITIMER_REAL, &it, NULL);
    pthread_t t;
    pthread_create(&t, NULL, late_writer, &sv[1]);
    CHECK_EQ(read(sv[0], buf, sizeof buf), 4);
    pthread_join(t, NULL);
    signal(SIGALRM, SIG_DFL);
    close(sv[0]);
    close(sv[1]);
}

static void flags_and_fill(void) {
    int sv[2];
    char buf[4096];
    CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
    CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(sv[1], F_GETFL) & O_NONBLOCK);
    CHECK_EQ(fcntl(sv[0], F_GETFD), FD_CLOEXEC);
    CHECK_ERR(read(sv[0], buf, sizeof buf), EAGAIN);
    /* Fill the connection until the writer would block. */
    memset(buf, 'z', sizeof buf);
    long total = 0;
    ssize_t n;
    while ((n = write(sv[0], buf, sizeof buf)) > 0) total += n;
    CHECK_EQ(n, -1);
    CHECK_EQ(errno, EAGAIN);
    CHECK(total >= 4096);
    struct pollfd p = {sv[0], POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 0), 0);
    /* Draining it all gives every byte back. */
    long got = 0;
    while ((n = read(sv[1], buf, sizeof buf)) > 0) got += n;
    CHECK_EQ(got, total);
    CHECK_EQ(poll(&p, 1, 0), 1);
    close(sv[0]);
    close(sv[1]);
}

static void datagram_pair(void) {
    int sv[2];
    char buf[64];
    CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    /* Datagrams keep their boundaries; a short read truncates and drops the rest. */
    CHECK_EQ(send(sv[0], "first", 5, 0), 5);
    CHECK_EQ(send(sv[0], "second", 6, 0), 6);
    CHECK_EQ(send(sv[0], "", 0, 0), 0);
    int avail = -1;
    CHECK_OK(ioctl(sv[1], FIONREAD, &avail));
    CHECK_EQ(avail, 5);
    CHECK_EQ(recv(sv[1], buf, sizeof buf, 0), 5);
    CHECK_EQ(recv(sv[1], buf, 3, MSG_PEEK | MSG_TRUNC), 6);
    CHECK_EQ(recv(sv[1], buf, 3, 0), 3);
    CHECK(memcmp(buf, "sec", 3) == 0);
    CHECK_EQ(recv(sv[1], buf, sizeof buf, 0), 0);
    CHECK_ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    int type = 0;
    socklen_t len = sizeof type;
    CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len));
    CHECK_EQ(type, SOCK_DGRAM);
    close(sv[0]);
    close(sv[1]);
}

static void seqpacket_pair(void) {
    int sv[2];
    char buf[64];
    CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    CHECK_EQ(write(sv[0], "one", 3), 3);
    CHECK_EQ(write(sv[0], "three", 5), 5);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 3);
    /* A record read short is truncated: recvmsg says MSG_TRUNC. */
    struct iovec iov = {buf, 2};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    CHECK_EQ(recvmsg(sv[1], &m, 0), 2);
    CHECK_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
    CHECK_ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    close(sv[0]);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 0);
    close(sv[1]);
}

static void errors(void) {
    int sv[2];
    int pipefd[2];
    char c;
    CHECK_ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
    CHECK_ERR(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (void *)1), EFAULT);
    CHECK_ERR(socketpair(AF_UNIX, 99, 0, sv), EINVAL);
    CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, sv), EINVAL);
    CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 99, sv), EPROTONOSUPPORT);
    CHECK_ERR(socket(AF_UNIX, 7, 0), ESOCKTNOSUPPORT);
    CHECK_ERR(socket(4000, SOCK_STREAM, 0), EAFNOSUPPORT);
    CHECK_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
    CHECK_OK(pipe(pipefd));
    CHECK_ERR(send(pipefd[1], "x", 1, 0), ENOTSOCK);
    CHECK_ERR(recv(pipefd[0], &c, 1, 0), ENOTSOCK);
    CHECK_ERR(shutdown(pipefd[0], SHUT_RD), ENOTSOCK);
    CHECK_ERR(send(9999, "x", 1, 0), EBADF);
    CHECK_ERR(shutdown(-1, SHUT_RD), EBADF);
    close(pipefd[0]);
    close(pipefd[1]);
}

/* Edge-triggered epoll sees exactly the events: data sent is an input edge for the receiver
 * only, and a second write adds a new edge. */
static void edge_triggered(void) {
    int sv[2];
    CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int ep = CHECK_OK(epoll_create1(0));
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET}, out[4];
    ev.data.fd = sv[0];
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev));
    ev.data.fd = sv[1];
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
    /* First both are writable. */
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 2);
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
    /* A send reports input on the receiver, and nothing on the sender. */
    CHECK_EQ(write(sv[0], "ab", 2), 2);
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
    CHECK_EQ(out[0].data.fd, sv[1]);
    CHECK(out[0].events & EPOLLIN);
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
    /* More data is a new edge, though the receiver was readable already. */
    CHECK_EQ(write(sv[0], "c", 1), 1);
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
    CHECK_EQ(out[0].data.fd, sv[1]);
    close(ep);
    close(sv[0]);
    close(sv[1]);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    edge_triggered();
    stream_pair();
    interrupted();
    flags_and_fill();
    datagram_pair();
    seqpacket_pair();
    errors();
    return check_done();
}
