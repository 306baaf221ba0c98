/* sys-msg: the message calls. sendmsg/recvmsg with several iovecs and addresses, msg_flags
 * (MSG_TRUNC), MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL against a writer thread, sendmmsg with
 * msg_len, and their error returns (EBADF, ENOTSOCK, EFAULT, EMSGSIZE, EINVAL). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <time.h>
#include "check.h"

static void *slow_writer(void *arg) {
    int fd = *(int *)arg;
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (int k = 0; k < 4; k++) {
        nanosleep(&ts, NULL);
        write(fd, "ab", 2);
    }
    return NULL;
}

static void vectors(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char a[] = "gather ", b[] = "these ", c[] = "parts";
    struct iovec out[3] = {{a, 7}, {b, 6}, {c, 5}};
    struct msghdr m = {0};
    m.msg_iov = out;
    m.msg_iovlen = 3;
    CHECK_EQ(sendmsg(sv[0], &m, 0), 18);
    char x[5], y[32];
    struct iovec in[2] = {{x, sizeof x}, {y, sizeof y}};
    struct msghdr r = {0};
    r.msg_iov = in;
    r.msg_iovlen = 2;
    r.msg_controllen = 0;
    CHECK_EQ(recvmsg(sv[1], &r, MSG_PEEK), 18);
    CHECK_EQ(recvmsg(sv[1], &r, 0), 18);
    CHECK(memcmp(x, "gathe", 5) == 0);
    CHECK(memcmp(y, "r these parts", 13) == 0);
    CHECK_EQ(r.msg_flags, 0);
    CHECK_ERR(recvmsg(sv[1], &r, MSG_DONTWAIT), EAGAIN);

    /* MSG_WAITALL waits for the whole count while a thread writes it in pieces. */
    pthread_t t;
    pthread_create(&t, NULL, slow_writer, &sv[0]);
    char buf[8];
    CHECK_EQ(recv(sv[1], buf, 8, MSG_WAITALL), 8);
    CHECK(memcmp(buf, "abababab", 8) == 0);
    pthread_join(t, NULL);
    close(sv[0]);
    close(sv[1]);
}

static void datagrams(void) {
    int server = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(server, (struct sockaddr *)&addr, sizeof addr);
    socklen_t alen = sizeof addr;
    getsockname(server, (struct sockaddr *)&addr, &alen);
    int client = socket(AF_INET, SOCK_DGRAM, 0);

    /* sendmsg with msg_name; recvmsg fills the sender's address and MSG_TRUNC. */
    char part1[] = "twelve", part2[] = " bytes";
    struct iovec out[2] = {{part1, 6}, {part2, 6}};
    struct msghdr m = {0};
    m.msg_name = &addr;
    m.msg_namelen = sizeof addr;
    m.msg_iov = out;
    m.msg_iovlen = 2;
    CHECK_EQ(sendmsg(client, &m, 0), 12);
    char small[4];
    struct iovec in = {small, sizeof small};
    struct sockaddr_in from;
    struct msghdr r = {0};
    r.msg_name = &from;
    r.msg_namelen = sizeof from;
    r.msg_iov = &in;
    r.msg_iovlen = 1;
    CHECK_EQ(recvmsg(server, &r, 0), 4);
    CHECK_EQ(r.msg_flags & MSG_TRUNC, MSG_TRUNC);
    CHECK_EQ(r.msg_namelen, sizeof from);
    CHECK_EQ(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
    CHECK(memcmp(small, "twel", 4) == 0);

    /* sendmmsg: several datagrams in one call, each msg_len filled. */
    struct mmsghdr mm[3];
    struct iovec iov[3] = {{"one", 3}, {"three", 5}, {"seventeen", 9}};
    memset(mm, 0, sizeof mm);
    for (int k = 0; k < 3; k++) {
        mm[k].msg_hdr.msg_name = &addr;
        mm[k].msg_hdr.msg_namelen = sizeof addr;
        mm[k].msg_hdr.msg_iov = &iov[k];
        mm[k].msg_hdr.msg_iovlen = 1;
    }
    CHECK_EQ(sendmmsg(client, mm, 3, 0), 3);
    CHECK_EQ(mm[0].msg_len, 3);
    CHECK_EQ(mm[1].msg_len, 5);
    CHECK_EQ(mm[2].msg_len, 9);
    char buf[16];
    CHECK_EQ(recv(server, buf, sizeof buf, 0), 3);
    CHECK_EQ(recv(server, buf, sizeof buf, 0), 5);
    CHECK_EQ(recv(server, buf, sizeof buf, 0), 9);
    CHECK_EQ(sendmmsg(client, mm, 0, 0), 0);
    /* A failing second message: the first is sent and counted. */
    mm[1].msg_hdr.msg_iov = (struct iovec *)1;
    CHECK_EQ(sendmmsg(client, mm, 3, 0), 1);
    CHECK_EQ(recv(server, buf, sizeof buf, 0), 3);
    CHECK_ERR(syscall(SYS_sendmmsg, client, (void *)1, 2, 0), EFAULT); /* raw: musl copies the headers */
    CHECK_ERR(syscall(SYS_sendmmsg, 9999, mm, 1, 0), EBADF);
    close(client);
    close(server);
}

/* Sends fds over a unix socket with SCM_RIGHTS (and some data). */
static ssize_t send_fds(int sock, const int *fdv, int n) {
    char data = 'F';
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(4 * sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = CMSG_SPACE(n * sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(c), fdv, n * sizeof(int));
    return sendmsg(sock, &m, 0);
}

/* Receives fds into a control buffer of `room` bytes; returns how many arrived, -1 on error. */
static int recv_fds(int sock, int *fdv, size_t room, int flags, int *msg_flags, size_t *controllen) {
    char data;
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(4 * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = room;
    if (recvmsg(sock, &m, flags) != 1) return -1;
    *msg_flags = m.msg_flags;
    *controllen = m.msg_controllen;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (c == NULL) return 0;
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -1;
    int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    memcpy(fdv, CMSG_DATA(c), n * sizeof(int));
    return n;
}

static void passing_fds(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    /* A file passed and closed by the sender stays open for the receiver, same offset. */
    int file = open("msg-passed", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK_EQ(write(file, "passed along", 12), 12);
    CHECK_EQ(send_fds(sv[0], &file, 1), 1);
    close(file);
    int got[4], flags = -1;
    size_t controllen = 0;
    CHECK_EQ(recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC, &flags, &controllen), 1);
    CHECK_EQ(controllen, CMSG_SPACE(sizeof(int)));
    CHECK_EQ(flags, MSG_CMSG_CLOEXEC);
    CHECK(got[0] >= 0);
    CHECK_EQ(fcntl(got[0], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(lseek(got[0], 0, SEEK_CUR), 12);
    char buf[16];
    CHECK_EQ(pread(got[0], buf, sizeof buf, 0), 12);
    CHECK(memcmp(buf, "passed along", 12) == 0);
    close(got[0]);
    unlink("msg-passed");

    /* A pipe's write end passed, then closed by the sender: still the same pipe. */
    int p[2];
    pipe(p);
    CHECK_EQ(send_fds(sv[0], &p[1], 1), 1);
    close(p[1]);
    CHECK_EQ(recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), 0, &flags, &controllen), 1);
    CHECK_EQ(fcntl(got[0], F_GETFD), 0);
    CHECK_EQ(write(got[0], "via", 3), 3);
    CHECK_EQ(read(p[0], buf, sizeof buf), 3);
    close(got[0]);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0); /* the last writer is gone */
    close(p[0]);

    /* Received without room for fds: they are closed (MSG_CTRUNC says so). */
    pipe(p);
    CHECK_EQ(send_fds(sv[0], &p[1], 1), 1);
    close(p[1]);
    CHECK_EQ(recv_fds(sv[1], got, 0, 0, &flags, &controllen), 0);
    CHECK_EQ(flags & MSG_CTRUNC, MSG_CTRUNC);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
    close(p[0]);
    /* A plain read drops them too. */
    pipe(p);
    CHECK_EQ(send_fds(sv[0], &p[1], 1), 1);
    close(p[1]);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 1);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
    close(p[0]);

    /* Two fds, room for exactly one: one arrives, MSG_CTRUNC. */
    int two[2];
    pipe(two);
    CHECK_EQ(send_fds(sv[0], two, 2), 1);
    CHECK_EQ(recv_fds(sv[1], got, CMSG_LEN(sizeof(int)), 0, &flags, &controllen), 1);
    CHECK_EQ(controllen, CMSG_LEN(sizeof(int)));
    CHECK_EQ(flags & MSG_CTRUNC, MSG_CTRUNC);
    close(got[0]);
    close(two[0]);
    close(two[1]);

    /* A closed fd is EBADF; UDP ignores SCM_RIGHTS; a control length past the buffer is EINVAL. */
    int bad = 9999;
    CHECK_ERR(send_fds(sv[0], &bad, 1), EBADF);
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_OK(connect(udp, (struct sockaddr *)&to, sizeof to));
    CHECK_EQ(send_fds(udp, &sv[0], 1), 1);
    close(udp);
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    char data = 'x';
    struct iovec iov = {&data, 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = sizeof u.buf;
    CMSG_FIRSTHDR(&m)->cmsg_len = 200;
    CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL);

    /* Datagram sockets pass fds too. */
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    CHECK_EQ(send_fds(dv[0], &sv[1], 1), 1);
    CHECK_EQ(recv_fds(dv[1], got, CMSG_SPACE(sizeof(int)), 0, &flags, &controllen), 1);
    /* The passed socket is the same one: what sv[0] sends arrives on it. */
    CHECK_EQ(write(sv[0], "z", 1), 1);
    CHECK_EQ(read(got[0], buf, 1), 1);
    close(got[0]);
    close(dv[0]);
    close(dv[1]);
    close(sv[0]);
    close(sv[1]);
}

static void errors(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    char c = 'x';
    struct iovec iov = {&c, 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    CHECK_ERR(sendmsg(9999, &m, 0), EBADF);
    CHECK_ERR(recvmsg(9999, &m, 0), EBADF);
    CHECK_ERR(syscall(SYS_sendmsg, sv[0], (void *)1, 0), EFAULT);
    CHECK_ERR(syscall(SYS_recvmsg, sv[1], (void *)1, 0), EFAULT);
    m.msg_iovlen = 5000;
    CHECK_ERR(sendmsg(sv[0], &m, 0), EMSGSIZE);
    CHECK_ERR(recvmsg(sv[1], &m, 0), EMSGSIZE);
    m.msg_iovlen = 1;
    m.msg_iov = (struct iovec *)1;
    CHECK_ERR(sendmsg(sv[0], &m, 0), EFAULT);
    m.msg_iov = &iov;
    iov.iov_base = (void *)1;
    CHECK_ERR(sendmsg(sv[0], &m, 0), EFAULT);
    iov.iov_base = &c;
    m.msg_name = &iov;
    m.msg_namelen = 1;
    CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL);
    m.msg_name = NULL;
    m.msg_namelen = 0;
    int pipefd[2];
    pipe(pipefd);
    CHECK_ERR(sendmsg(pipefd[1], &m, 0), ENOTSOCK);
    CHECK_ERR(recvmsg(pipefd[0], &m, 0), ENOTSOCK);
    CHECK_ERR(syscall(SYS_sendmmsg, pipefd[1], NULL, 0, 0), ENOTSOCK);
    close(pipefd[0]);
    close(pipefd[1]);
    close(sv[0]);
    close(sv[1]);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    vectors();
    datagrams();
    passing_fds();
    errors();
    return check_done();
}
