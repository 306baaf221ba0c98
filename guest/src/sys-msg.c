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
    errors();
    return check_done();
}
