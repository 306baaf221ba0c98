/* sys-sockopt: setsockopt/getsockopt. What each socket reports about itself (SO_TYPE,
 * SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN, SO_ERROR, SO_PEERCRED), options read back as Linux
 * normalises them (booleans, doubled buffer sizes, linger, timeouts), a receive timeout that
 * expires, TCP and IP options, and the error returns: ENOPROTOOPT, EOPNOTSUPP, EINVAL, EFAULT. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include "check.h"

static int get_int(int fd, int level, int name) {
    int v = -12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) != 0) return -errno;
    return len == sizeof v ? v : -1000 - (int)len;
}

static int set_int(int fd, int level, int name, int v) {
    return setsockopt(fd, level, name, &v, sizeof v);
}

static void identity(void) {
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    int udp6 = socket(AF_INET6, SOCK_DGRAM, 0);
    int unx = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK_EQ(get_int(tcp, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    CHECK_EQ(get_int(tcp, SOL_SOCKET, SO_DOMAIN), AF_INET);
    CHECK_EQ(get_int(tcp, SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP);
    CHECK_EQ(get_int(udp6, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    CHECK_EQ(get_int(udp6, SOL_SOCKET, SO_DOMAIN), AF_INET6);
    CHECK_EQ(get_int(udp6, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP);
    CHECK_EQ(get_int(unx, SOL_SOCKET, SO_TYPE), SOCK_SEQPACKET);
    CHECK_EQ(get_int(unx, SOL_SOCKET, SO_DOMAIN), AF_UNIX);
    CHECK_EQ(get_int(unx, SOL_SOCKET, SO_PROTOCOL), 0);
    CHECK_EQ(get_int(tcp, SOL_SOCKET, SO_ACCEPTCONN), 0);
    CHECK_EQ(get_int(tcp, SOL_SOCKET, SO_ERROR), 0);
    /* Read-only options cannot be set. */
    CHECK_ERR(set_int(tcp, SOL_SOCKET, SO_TYPE, SOCK_DGRAM), ENOPROTOOPT);
    CHECK_ERR(set_int(tcp, SOL_SOCKET, SO_ERROR, 0), ENOPROTOOPT);
    close(tcp);
    close(udp6);
    close(unx);

    /* SO_PEERCRED of a socketpair: this process. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct ucred cred;
    socklen_t len = sizeof cred;
    CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
    CHECK_EQ(len, sizeof cred);
    CHECK_EQ(cred.pid, getpid());
    CHECK_EQ(cred.uid, getuid());
    close(sv[0]);
    close(sv[1]);
}

static void read_back(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    /* Booleans read back as 0 or 1. */
    int booleans[] = {SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_BROADCAST, SO_OOBINLINE};
    for (unsigned k = 0; k < sizeof booleans / sizeof *booleans; k++) {
        CHECK_EQ(get_int(fd, SOL_SOCKET, booleans[k]), 0);
        CHECK_OK(set_int(fd, SOL_SOCKET, booleans[k], 5));
        CHECK_EQ(get_int(fd, SOL_SOCKET, booleans[k]), 1);
        CHECK_OK(set_int(fd, SOL_SOCKET, booleans[k], 0));
        CHECK_EQ(get_int(fd, SOL_SOCKET, booleans[k]), 0);
    }
    /* Buffer sizes: the kernel doubles what is asked (for its bookkeeping). */
    CHECK(get_int(fd, SOL_SOCKET, SO_RCVBUF) > 0);
    CHECK(get_int(fd, SOL_SOCKET, SO_SNDBUF) > 0);
    CHECK_OK(set_int(fd, SOL_SOCKET, SO_RCVBUF, 65536));
    CHECK_EQ(get_int(fd, SOL_SOCKET, SO_RCVBUF), 131072);
    CHECK_OK(set_int(fd, SOL_SOCKET, SO_SNDBUF, 32768));
    CHECK_EQ(get_int(fd, SOL_SOCKET, SO_SNDBUF), 65536);
    /* SO_LINGER. */
    struct linger lg = {1, 7}, out = {0, 0};
    CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    socklen_t len = sizeof out;
    CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_LINGER, &out, &len));
    CHECK_EQ(len, sizeof out);
    CHECK_EQ(out.l_onoff, 1);
    CHECK_EQ(out.l_linger, 7);
    CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, 4), EINVAL);
    /* TCP options. */
    CHECK_EQ(get_int(fd, IPPROTO_TCP, TCP_NODELAY), 0);
    CHECK_OK(set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1));
    CHECK_EQ(get_int(fd, IPPROTO_TCP, TCP_NODELAY), 1);
    CHECK_OK(set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, 60));
    CHECK_EQ(get_int(fd, IPPROTO_TCP, TCP_KEEPIDLE), 60);
    CHECK_OK(set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 5));
    CHECK_EQ(get_int(fd, IPPROTO_TCP, TCP_KEEPINTVL), 5);
    CHECK_OK(set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 3));
    CHECK_EQ(get_int(fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
    CHECK_ERR(set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, 0), EINVAL);
    CHECK_ERR(set_int(fd, IPPROTO_TCP, 9999, 1), ENOPROTOOPT);
    CHECK_ERR(set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1), ENOPROTOOPT);
    /* IP options. */
    CHECK_EQ(get_int(fd, IPPROTO_IP, IP_TTL), 64);
    CHECK_OK(set_int(fd, IPPROTO_IP, IP_TTL, 32));
    CHECK_EQ(get_int(fd, IPPROTO_IP, IP_TTL), 32);
    CHECK_ERR(set_int(fd, IPPROTO_IP, IP_TTL, 300), EINVAL);
    CHECK_OK(set_int(fd, IPPROTO_IP, IP_TOS, 0x10));
    CHECK_EQ(get_int(fd, IPPROTO_IP, IP_TOS), 0x10);
    close(fd);

    int six = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK_EQ(get_int(six, IPPROTO_IPV6, IPV6_V6ONLY), 0);
    CHECK_OK(set_int(six, IPPROTO_IPV6, IPV6_V6ONLY, 1));
    CHECK_EQ(get_int(six, IPPROTO_IPV6, IPV6_V6ONLY), 1);
    close(six);

    /* UDP has no TCP options. */
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_ERR(set_int(udp, IPPROTO_TCP, TCP_NODELAY, 1), ENOPROTOOPT);
    CHECK_EQ(get_int(udp, IPPROTO_TCP, TCP_NODELAY), -EOPNOTSUPP); /* IPv4's getsockopt says so */
    close(udp);
}

static void timeouts(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    /* 40 ms: a whole number of ticks at any HZ (Linux keeps timeouts in jiffies). */
    struct timeval tv = {0, 40000}, out = {9, 9};
    CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    socklen_t len = sizeof out;
    CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &out, &len));
    CHECK_EQ(out.tv_sec, 0);
    CHECK_EQ(out.tv_usec, 40000);
    /* A read with nothing to read gives up after the timeout. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char c;
    CHECK_ERR(read(sv[0], &c, 1), EAGAIN);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    CHECK(ms >= 35);
    tv.tv_usec = 2000000;
    CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), EDOM);
    CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, 8), EINVAL);
    close(sv[0]);
    close(sv[1]);
}

static void errors(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int unx = socket(AF_UNIX, SOCK_STREAM, 0);
    int v = 1;
    socklen_t len = sizeof v;
    CHECK_ERR(set_int(fd, SOL_SOCKET, 9999, 1), ENOPROTOOPT);
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
    CHECK_ERR(set_int(fd, 12345, 1, 1), ENOPROTOOPT);
    CHECK_ERR(set_int(unx, IPPROTO_TCP, TCP_NODELAY, 1), EOPNOTSUPP);
    CHECK_ERR(getsockopt(unx, IPPROTO_TCP, TCP_NODELAY, &v, &len), EOPNOTSUPP);
    CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
    CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, (void *)1, sizeof v), EFAULT);
    CHECK_ERR(syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_REUSEADDR, &v, (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_REUSEADDR, (void *)1, &len), EFAULT);
    len = (socklen_t)-1;
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len), EINVAL);
    CHECK_ERR(syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_REUSEADDR, &v, -1), EINVAL);
    /* A short optlen gets a truncated value. */
    short half = 0;
    len = sizeof half;
    CHECK_OK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &half, &len));
    CHECK_EQ(len, sizeof half);
    CHECK_EQ(half, SOCK_STREAM);
    CHECK_ERR(set_int(9999, SOL_SOCKET, SO_REUSEADDR, 1), EBADF);
    CHECK_ERR(getsockopt(9999, SOL_SOCKET, SO_TYPE, &v, &len), EBADF);
    int pipefd[2];
    pipe(pipefd);
    CHECK_ERR(set_int(pipefd[0], SOL_SOCKET, SO_REUSEADDR, 1), ENOTSOCK);
    len = sizeof v;
    CHECK_ERR(getsockopt(pipefd[0], SOL_SOCKET, SO_TYPE, &v, &len), ENOTSOCK);
    close(pipefd[0]);
    close(pipefd[1]);
    close(fd);
    close(unx);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    identity();
    read_back();
    timeouts();
    errors();
    return check_done();
}
