/* sys-udp: UDP over loopback. Datagrams with their source addresses, an echo thread, message
 * boundaries and truncation, connected sockets (default peer, filtering, ICMP refusal,
 * AF_UNSPEC to dissolve), port sharing, IPv6, FIONREAD and poll, and error returns. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "check.h"
#include "loopback.h"

static int bound(int any) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback(0);
    if (any) a.sin_addr.s_addr = htonl(INADDR_ANY);
    bind(fd, (struct sockaddr *)&a, sizeof a);
    return fd;
}

/* Echoes one datagram back to its sender, reversed. */
static void *echo_once(void *arg) {
    int fd = *(int *)arg;
    char buf[64];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    for (ssize_t k = 0; k < n / 2; k++) {
        char c = buf[k];
        buf[k] = buf[n - 1 - k];
        buf[n - 1 - k] = c;
    }
    sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
    return NULL;
}

static void datagrams(void) {
    int server = bound(1);
    int port = port_of(server);
    CHECK(port > 0);
    int client = CHECK_OK(socket(AF_INET, SOCK_DGRAM, 0));
    CHECK_EQ(port_of(client), 0);
    pthread_t t;
    pthread_create(&t, NULL, echo_once, &server);
    struct sockaddr_in to = loopback(port);
    CHECK_EQ(sendto(client, "stressed", 8, 0, (struct sockaddr *)&to, sizeof to), 8);
    /* Sending bound the client to an ephemeral port. */
    CHECK(port_of(client) > 0);
    char buf[64];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    CHECK_EQ(recvfrom(client, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 8);
    CHECK(memcmp(buf, "desserts", 8) == 0);
    CHECK_EQ(len, sizeof from);
    CHECK_EQ(ntohs(from.sin_port), port);
    CHECK_EQ(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
    pthread_join(t, NULL);

    /* Boundaries, truncation, empty datagrams, FIONREAD, the source seen by the server. */
    CHECK_EQ(sendto(client, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof to), 10);
    CHECK_EQ(sendto(client, "ab", 2, 0, (struct sockaddr *)&to, sizeof to), 2);
    CHECK_EQ(sendto(client, "", 0, 0, (struct sockaddr *)&to, sizeof to), 0);
    struct pollfd p = {server, POLLIN | POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 1000), 1);
    CHECK_EQ(p.revents, POLLIN | POLLOUT);
    int avail = -1;
    CHECK_OK(ioctl(server, FIONREAD, &avail));
    CHECK_EQ(avail, 10);
    len = 4; /* too short: the address is cut, the length says what it was */
    CHECK_EQ(recvfrom(server, buf, 4, MSG_TRUNC, (struct sockaddr *)&from, &len), 10);
    CHECK_EQ(len, sizeof from);
    CHECK(memcmp(buf, "0123", 4) == 0);
    len = sizeof from;
    CHECK_EQ(recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 2);
    CHECK_EQ(ntohs(from.sin_port), port_of(client));
    CHECK_EQ(recv(server, buf, sizeof buf, 0), 0);
    CHECK_ERR(recv(server, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    CHECK_ERR(send(client, "x", 1, 0), EDESTADDRREQ);
    static char huge[70000];
    CHECK_ERR(sendto(client, huge, sizeof huge, 0, (struct sockaddr *)&to, sizeof to), EMSGSIZE);
    close(client);
    close(server);
}

static void connected(void) {
    int server = bound(0);
    int port = port_of(server);
    int client = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = loopback(port);
    CHECK_OK(connect(client, (struct sockaddr *)&to, sizeof to));
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    CHECK_OK(getpeername(client, (struct sockaddr *)&peer, &len));
    CHECK_EQ(ntohs(peer.sin_port), port);
    /* connect also fixed the local address to the route's source. */
    len = sizeof peer;
    CHECK_OK(getsockname(client, (struct sockaddr *)&peer, &len));
    CHECK_EQ(ntohl(peer.sin_addr.s_addr), INADDR_LOOPBACK);
    CHECK_EQ(send(client, "hi", 2, 0), 2);
    char buf[16];
    CHECK_EQ(recv(server, buf, sizeof buf, 0), 2);
    /* A connected socket takes datagrams from its peer only. */
    int stranger = bound(0);
    struct sockaddr_in back = loopback(port_of(client));
    CHECK_EQ(sendto(stranger, "no", 2, 0, (struct sockaddr *)&back, sizeof back), 2);
    CHECK_EQ(sendto(server, "yes", 3, 0, (struct sockaddr *)&back, sizeof back), 3);
    CHECK_EQ(recv(client, buf, sizeof buf, 0), 3);
    CHECK_ERR(recv(client, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    CHECK_OK(shutdown(client, SHUT_RD));
    /* AF_UNSPEC dissolves the association. */
    struct sockaddr unspec = {0};
    unspec.sa_family = AF_UNSPEC;
    CHECK_OK(connect(client, &unspec, sizeof unspec));
    len = sizeof peer;
    CHECK_ERR(getpeername(client, (struct sockaddr *)&peer, &len), ENOTCONN);
    close(client);
    close(stranger);

    /* A connected socket learns that nobody listens (ICMP port unreachable). */
    int gone = bound(0);
    int gone_port = port_of(gone);
    close(gone);
    client = socket(AF_INET, SOCK_DGRAM, 0);
    to = loopback(gone_port);
    CHECK_OK(connect(client, (struct sockaddr *)&to, sizeof to));
    CHECK_EQ(send(client, "void", 4, 0), 4);
    CHECK_ERR(recv(client, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED);
    CHECK_ERR(recv(client, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    close(client);
    close(server);
}

static void sharing_and_v6(void) {
    int a = bound(0);
    struct sockaddr_in addr = loopback(port_of(a));
    int b = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_ERR(bind(b, (struct sockaddr *)&addr, sizeof addr), EADDRINUSE);
    close(a);
    close(b);
    int on = 1;
    a = socket(AF_INET, SOCK_DGRAM, 0);
    b = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_OK(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    CHECK_OK(setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    addr = loopback(0);
    CHECK_OK(bind(a, (struct sockaddr *)&addr, sizeof addr));
    addr.sin_port = htons(port_of(a));
    CHECK_OK(bind(b, (struct sockaddr *)&addr, sizeof addr));
    close(a);
    close(b);

    int s6 = CHECK_OK(socket(AF_INET6, SOCK_DGRAM, 0));
    struct sockaddr_in6 six = {0};
    six.sin6_family = AF_INET6;
    six.sin6_addr = in6addr_loopback;
    CHECK_OK(bind(s6, (struct sockaddr *)&six, sizeof six));
    socklen_t len = sizeof six;
    CHECK_OK(getsockname(s6, (struct sockaddr *)&six, &len));
    CHECK_EQ(len, sizeof six);
    int c6 = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK_EQ(sendto(c6, "v6", 2, 0, (struct sockaddr *)&six, sizeof six), 2);
    struct sockaddr_in6 from;
    len = sizeof from;
    char buf[8];
    CHECK_EQ(recvfrom(s6, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 2);
    CHECK_EQ(from.sin6_family, AF_INET6);
    CHECK(IN6_IS_ADDR_LOOPBACK(&from.sin6_addr));
    close(s6);
    close(c6);
}

static void errors(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = loopback(9);
    char buf[4];
    CHECK_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)1, sizeof to), EFAULT);
    CHECK_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)&to, 5), EINVAL);
    CHECK_ERR(sendto(fd, (void *)1, 1, 0, (struct sockaddr *)&to, sizeof to), EFAULT);
    CHECK_ERR(sendto(9999, "x", 1, 0, (struct sockaddr *)&to, sizeof to), EBADF);
    CHECK_ERR(recvfrom(9999, buf, 1, 0, NULL, NULL), EBADF);
    CHECK_ERR(shutdown(fd, SHUT_RD), ENOTCONN);
    struct sockaddr_in6 six = {0};
    six.sin6_family = AF_INET6;
    CHECK_ERR(connect(fd, (struct sockaddr *)&six, sizeof six), EAFNOSUPPORT);
    int pipefd[2];
    CHECK_OK(pipe(pipefd));
    CHECK_ERR(sendto(pipefd[1], "x", 1, 0, (struct sockaddr *)&to, sizeof to), ENOTSOCK);
    CHECK_ERR(recvfrom(pipefd[0], buf, 1, 0, NULL, NULL), ENOTSOCK);
    close(pipefd[0]);
    close(pipefd[1]);
    close(fd);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    datagrams();
    connected();
    sharing_and_v6();
    errors();
    return check_done();
}
