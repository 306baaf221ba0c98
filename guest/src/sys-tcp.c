/* sys-tcp: TCP over loopback. A server thread and a client in the same program: listen,
 * connect, accept, echo, a large transfer, FIN (end of file) and RST (close with unread data),
 * non-blocking connect and accept, IPv6 and v4-mapped clients, port sharing rules, and the
 * error returns of bind, listen, accept, connect, getpeername, send, recv and shutdown.
 * Ports are ephemeral and never printed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "check.h"
#include "loopback.h"

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

/* A listening socket on 127.0.0.1 (or INADDR_ANY), an ephemeral port. */
static int listener(int any) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    if (any) a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0) return -1;
    return fd;
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Echo server thread: upper-cases what it reads until end of file, then closes. */
static void *echo_server(void *arg) {
    int lfd = *(int *)arg;
    int c = accept(lfd, NULL, NULL);
    char buf[256];
    ssize_t n;
    while ((n = read(c, buf, sizeof buf)) > 0) {
        for (ssize_t k = 0; k < n; k++) if (buf[k] >= 'a' && buf[k] <= 'z') buf[k] -= 32;
        write(c, buf, n);
    }
    close(c);
    return NULL;
}

enum { BIG = 300000 };
static long sink_total, sink_sum;
/* Receives everything a client sends: count and a checksum. */
static void *sink(void *arg) {
    int lfd = *(int *)arg;
    int c = accept(lfd, NULL, NULL);
    unsigned char buf[8192];
    ssize_t n;
    while ((n = read(c, buf, sizeof buf)) > 0) {
        for (ssize_t k = 0; k < n; k++) sink_sum = (sink_sum * 31 + buf[k]) % 1000000007;
        sink_total += n;
    }
    close(c);
    return NULL;
}

static void echo(void) {
    int lfd = listener(0);
    CHECK(lfd >= 0);
    int port = port_of(lfd);
    CHECK(port > 0);
    int on = -1;
    socklen_t len = sizeof on;
    CHECK_OK(getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len));
    CHECK_EQ(on, 1);
    pthread_t t;
    pthread_create(&t, NULL, echo_server, &lfd);
    int fd = connect_to(port);
    CHECK(fd >= 0);
    /* getpeername is the server; getsockname is loopback on another ephemeral port. */
    struct sockaddr_in peer, self;
    len = sizeof peer;
    CHECK_OK(getpeername(fd, (struct sockaddr *)&peer, &len));
    CHECK_EQ(len, sizeof peer);
    CHECK_EQ(ntohs(peer.sin_port), port);
    CHECK_EQ(ntohl(peer.sin_addr.s_addr), INADDR_LOOPBACK);
    len = sizeof self;
    CHECK_OK(getsockname(fd, (struct sockaddr *)&self, &len));
    CHECK_EQ(ntohl(self.sin_addr.s_addr), INADDR_LOOPBACK);
    CHECK(ntohs(self.sin_port) != 0 && ntohs(self.sin_port) != port);
    CHECK_EQ(write(fd, "hello, tcp", 10), 10);
    char buf[64];
    size_t got = 0;
    while (got < 10) {
        ssize_t n = read(fd, buf + got, sizeof buf - got);
        if (n <= 0) break;
        got += n;
    }
    CHECK_EQ(got, 10);
    CHECK(memcmp(buf, "HELLO, TCP", 10) == 0);
    /* Our FIN ends the server's loop; its close is our end of file. */
    CHECK_OK(shutdown(fd, SHUT_WR));
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    pthread_join(t, NULL);
    CHECK_ERR(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
    close(fd);
    close(lfd);
}

static void big_transfer(void) {
    int lfd = listener(1);
    CHECK(lfd >= 0);
    pthread_t t;
    pthread_create(&t, NULL, sink, &lfd);
    int fd = connect_to(port_of(lfd));
    CHECK(fd >= 0);
    static unsigned char data[BIG];
    long sum = 0;
    for (int k = 0; k < BIG; k++) {
        data[k] = (unsigned char)(k * 7 + k / 251);
        sum = (sum * 31 + data[k]) % 1000000007;
    }
    long sent = 0;
    while (sent < BIG) {
        ssize_t n = write(fd, data + sent, BIG - sent);
        if (n <= 0) break;
        sent += n;
    }
    CHECK_EQ(sent, BIG);
    close(fd);
    pthread_join(t, NULL);
    CHECK_EQ(sink_total, BIG);
    CHECK_EQ(sink_sum, sum);
    close(lfd);
}

static void reset_and_accept(void) {
    int lfd = listener(1);
    int port = port_of(lfd);
    int fd = connect_to(port);
    CHECK(fd >= 0);
    /* The connection waits in the backlog; accept gives the client's address. */
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    int c = CHECK_OK(accept4(lfd, (struct sockaddr *)&from, &len, SOCK_CLOEXEC));
    CHECK_EQ(len, sizeof from);
    CHECK_EQ(from.sin_family, AF_INET);
    CHECK_EQ(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
    CHECK_EQ(ntohs(from.sin_port), port_of(fd));
    CHECK_EQ(fcntl(c, F_GETFD), FD_CLOEXEC);
    /* The accepted socket's own address is the one connected to, not INADDR_ANY. */
    struct sockaddr_in self;
    len = sizeof self;
    CHECK_OK(getsockname(c, (struct sockaddr *)&self, &len));
    CHECK_EQ(ntohl(self.sin_addr.s_addr), INADDR_LOOPBACK);
    CHECK_EQ(ntohs(self.sin_port), port);
    /* Closing with unread data resets the connection. */
    CHECK_EQ(write(fd, "unread", 6), 6);
    struct pollfd p = {c, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 1000), 1);
    close(c);
    char buf[16];
    CHECK_ERR(read(fd, buf, sizeof buf), ECONNRESET);
    close(fd);

    /* The server closes first: end of file; one more write goes out and meets a RST, then
     * writes are EPIPE with SIGPIPE. */
    fd = connect_to(port);
    c = accept(lfd, NULL, NULL);
    close(c);
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    CHECK_EQ(write(fd, "late", 4), 4);
    signal(SIGPIPE, on_sigpipe);
    CHECK_ERR(write(fd, "x", 1), EPIPE);
    CHECK_EQ(sigpipes, 1);
    CHECK_ERR(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_EQ(sigpipes, 1);
    signal(SIGPIPE, SIG_DFL);
    close(fd);
    close(lfd);
}

static void nonblocking(void) {
    int lfd = listener(0);
    int port = port_of(lfd);
    CHECK_OK(fcntl(lfd, F_SETFL, O_NONBLOCK));
    CHECK_ERR(accept(lfd, NULL, NULL), EAGAIN);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = loopback(port);
    int r = connect(fd, (struct sockaddr *)&a, sizeof a);
    CHECK(r == 0 || errno == EINPROGRESS);
    struct pollfd p = {fd, POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 1000), 1);
    CHECK_EQ(p.revents, POLLOUT);
    int err = -1;
    socklen_t len = sizeof err;
    CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len));
    CHECK_EQ(err, 0);
    /* After EINPROGRESS the next connect reports success once; then EISCONN. */
    CHECK(connect(fd, (struct sockaddr *)&a, sizeof a) == 0 || errno == EISCONN);
    CHECK_ERR(connect(fd, (struct sockaddr *)&a, sizeof a), EISCONN);
    struct pollfd lp = {lfd, POLLIN, 0};
    CHECK_EQ(poll(&lp, 1, 1000), 1);
    int c = CHECK_OK(accept4(lfd, NULL, NULL, SOCK_NONBLOCK));
    CHECK(fcntl(c, F_GETFL) & O_NONBLOCK);
    char buf[8];
    CHECK_ERR(read(c, buf, sizeof buf), EAGAIN);
    CHECK_EQ(send(fd, "nb", 2, 0), 2);
    p.fd = c;
    p.events = POLLIN;
    CHECK_EQ(poll(&p, 1, 1000), 1);
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 2);
    close(c);
    close(fd);

    /* Refused: at once, or EINPROGRESS and then SO_ERROR. */
    int gone = listener(0);
    int closed_port = port_of(gone);
    close(gone);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    a = loopback(closed_port);
    r = connect(fd, (struct sockaddr *)&a, sizeof a);
    int refused = r == -1 && errno == ECONNREFUSED;
    if (r == -1 && errno == EINPROGRESS) {
        p.fd = fd;
        p.events = POLLOUT;
        poll(&p, 1, 1000);
        len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        refused = err == ECONNREFUSED;
    }
    CHECK(refused);
    close(fd);
    CHECK_EQ(connect_to(closed_port), -1);
    CHECK_EQ(errno, ECONNREFUSED);
    close(lfd);
}

static void *late_connect(void *arg) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    return (void *)(long)connect_to(*(int *)arg);
}

/* epoll and select see sockets: a pending connection, data, the peer's FIN, writability. */
static void readiness(void) {
    int lfd = listener(0);
    int port = port_of(lfd);
    int ep = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev));
    struct epoll_event out[4];
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
    pthread_t t;
    pthread_create(&t, NULL, late_connect, &port);
    CHECK_EQ(epoll_wait(ep, out, 4, 5000), 1);
    CHECK_EQ(out[0].data.u32, 1);
    CHECK_EQ(out[0].events, EPOLLIN);
    void *client_ret;
    pthread_join(t, &client_ret);
    int client = (int)(long)client_ret;
    CHECK(client >= 0);
    int c = CHECK_OK(accept(lfd, NULL, NULL));
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    ev.data.u32 = 2;
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
    CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, lfd, NULL));
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
    CHECK_EQ(write(client, "ping", 4), 4);
    CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
    CHECK_EQ(out[0].events, EPOLLIN);
    /* Edge-triggered: no new event until something changes. */
    CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
    CHECK_OK(shutdown(client, SHUT_WR));
    CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
    CHECK_EQ(out[0].events, EPOLLIN | EPOLLRDHUP);
    /* select: the client is writable, not readable; the server end is readable. */
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(client, &rd);
    FD_SET(client, &wr);
    FD_SET(c, &rd);
    struct timeval tv = {1, 0};
    int maxfd = client > c ? client : c;
    CHECK_EQ(select(maxfd + 1, &rd, &wr, NULL, &tv), 2);
    CHECK(!FD_ISSET(client, &rd));
    CHECK(FD_ISSET(client, &wr));
    CHECK(FD_ISSET(c, &rd));
    close(ep);
    close(c);
    close(client);
    close(lfd);
}

static void ipv6(void) {
    /* A v6 wildcard listener takes IPv6 and v4-mapped IPv4 clients. */
    int lfd = CHECK_OK(socket(AF_INET6, SOCK_STREAM, 0));
    int v6only = -1;
    socklen_t len = sizeof v6only;
    CHECK_OK(getsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len));
    CHECK_EQ(v6only, 0);
    struct sockaddr_in6 a = {0};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    CHECK_OK(bind(lfd, (struct sockaddr *)&a, sizeof a));
    CHECK_OK(listen(lfd, 4));
    int port = port_of(lfd);
    int v6 = socket(AF_INET6, SOCK_STREAM, 0);
    a.sin6_addr = in6addr_loopback;
    a.sin6_port = htons(port);
    CHECK_OK(connect(v6, (struct sockaddr *)&a, sizeof a));
    int v4 = connect_to(port);
    CHECK(v4 >= 0);
    struct sockaddr_in6 from;
    len = sizeof from;
    int c6 = CHECK_OK(accept(lfd, (struct sockaddr *)&from, &len));
    CHECK_EQ(len, sizeof from);
    CHECK(IN6_IS_ADDR_LOOPBACK(&from.sin6_addr));
    len = sizeof from;
    int c4 = CHECK_OK(accept(lfd, (struct sockaddr *)&from, &len));
    CHECK_EQ(from.sin6_family, AF_INET6);
    CHECK(IN6_IS_ADDR_V4MAPPED(&from.sin6_addr));
    CHECK_EQ(write(v6, "six", 3), 3);
    char buf[8];
    CHECK_EQ(read(c6, buf, sizeof buf), 3);
    CHECK_EQ(write(c4, "four", 4), 4);
    CHECK_EQ(read(v4, buf, sizeof buf), 4);
    close(c6);
    close(c4);
    close(v6);
    close(v4);
    /* IPV6_V6ONLY is fixed once bound. */
    int on = 1;
    CHECK_ERR(setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on), EINVAL);
    close(lfd);
}

static void sharing(void) {
    int lfd = listener(0);
    int port = port_of(lfd);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    int on = 1;
    CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    close(fd);
    close(lfd);
    /* The port is free again once its listener is closed. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_OK(bind(fd, (struct sockaddr *)&a, sizeof a));
    close(fd);
    /* SO_REUSEPORT on both: two listeners share a port. */
    int s1 = socket(AF_INET, SOCK_STREAM, 0), s2 = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_OK(setsockopt(s1, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
    CHECK_OK(setsockopt(s2, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
    a = loopback(0);
    CHECK_OK(bind(s1, (struct sockaddr *)&a, sizeof a));
    a.sin_port = htons(port_of(s1));
    CHECK_OK(bind(s2, (struct sockaddr *)&a, sizeof a));
    CHECK_OK(listen(s1, 1));
    CHECK_OK(listen(s2, 1));
    close(s1);
    close(s2);
}

static void errors(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    char buf[4];
    socklen_t len = sizeof a;
    CHECK_ERR(getpeername(fd, (struct sockaddr *)&a, &len), ENOTCONN);
    CHECK_ERR(accept(fd, NULL, NULL), EINVAL);
    CHECK_ERR(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_ERR(recv(fd, buf, sizeof buf, 0), ENOTCONN);
    CHECK_ERR(shutdown(fd, SHUT_RDWR), ENOTCONN);
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, 3), EINVAL);
    CHECK_ERR(bind(fd, (struct sockaddr *)1, sizeof a), EFAULT);
    CHECK_ERR(connect(fd, (struct sockaddr *)1, sizeof a), EFAULT);
    CHECK_ERR(getsockname(fd, (struct sockaddr *)&a, (socklen_t *)1), EFAULT);
    len = (socklen_t)-1;
    CHECK_ERR(getsockname(fd, (struct sockaddr *)&a, &len), EINVAL);
    struct sockaddr_in6 six = {0};
    six.sin6_family = AF_INET6;
    CHECK_ERR(bind(fd, (struct sockaddr *)&six, sizeof six), EAFNOSUPPORT);
    a.sin_addr.s_addr = htonl(0x08080808);
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof a), EADDRNOTAVAIL);
    a = loopback(0);
    CHECK_OK(bind(fd, (struct sockaddr *)&a, sizeof a));
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, sizeof a), EINVAL);
    CHECK_OK(listen(fd, 1));
    CHECK_ERR(connect(fd, (struct sockaddr *)&a, sizeof a), EISCONN);
    CHECK_ERR(syscall(SYS_accept4, fd, NULL, NULL, 0x1234), EINVAL);
    /* A bad address length pointer: EFAULT, and the connection is gone. */
    CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
    socklen_t alen = sizeof a;
    len = sizeof a;
    CHECK_OK(getsockname(fd, (struct sockaddr *)&a, &alen));
    int lost = connect_to(ntohs(a.sin_port));
    CHECK(lost >= 0);
    CHECK_ERR(syscall(SYS_accept4, fd, &a, (void *)1, 0), EFAULT);
    CHECK_ERR(accept(fd, NULL, NULL), EAGAIN);
    char eofbuf[4];
    CHECK_EQ(read(lost, eofbuf, sizeof eofbuf), 0);
    close(lost);
    CHECK_ERR(listen(9999, 1), EBADF);
    int pipefd[2];
    CHECK_OK(pipe(pipefd));
    CHECK_ERR(listen(pipefd[0], 1), ENOTSOCK);
    CHECK_ERR(accept(pipefd[0], NULL, NULL), ENOTSOCK);
    CHECK_ERR(connect(pipefd[0], (struct sockaddr *)&a, sizeof a), ENOTSOCK);
    close(pipefd[0]);
    close(pipefd[1]);
    CHECK_ERR(accept(9999, NULL, NULL), EBADF);
    CHECK_ERR(syscall(SYS_accept4, 9999, NULL, NULL, 0), EBADF);
    CHECK_ERR(getpeername(9999, (struct sockaddr *)&a, &len), EBADF);
    CHECK_ERR(getsockname(9999, (struct sockaddr *)&a, &len), EBADF);
    close(fd);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_ERR(listen(u, 1), EOPNOTSUPP);
    CHECK_ERR(accept(u, NULL, NULL), EOPNOTSUPP);
    close(u);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    echo();
    big_transfer();
    reset_and_accept();
    nonblocking();
    readiness();
    ipv6();
    sharing();
    errors();
    return check_done();
}
