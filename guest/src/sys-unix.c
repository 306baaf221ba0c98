/* sys-unix: named AF_UNIX sockets. Stream servers on a filesystem path and on an abstract
 * name (listen, connect, accept, the addresses each side sees), the backlog, datagrams sent
 * by name with the sender's address, autobind, a name freed by unlink, and the errors:
 * EADDRINUSE, ENOENT, ECONNREFUSED, EPROTOTYPE, EINVAL, EISCONN, ENOTCONN, EPERM. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <netinet/in.h>
#include "check.h"

static socklen_t path_addr(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path + 1, name, strlen(name));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void *greeter(void *arg) {
    int lfd = *(int *)arg;
    int c = accept(lfd, NULL, NULL);
    write(c, "welcome", 7);
    char buf[16];
    read(c, buf, sizeof buf); /* until the client closes */
    close(c);
    return NULL;
}

static void stream_on_path(void) {
    struct sockaddr_un a, got;
    socklen_t alen = path_addr(&a, "unix-stream.sock");
    int lfd = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
    CHECK_ERR(listen(lfd, 4), EINVAL); /* not bound */
    CHECK_OK(bind(lfd, (struct sockaddr *)&a, alen));
    CHECK_EQ(access("unix-stream.sock", F_OK), 0);
    socklen_t len = sizeof got;
    CHECK_OK(getsockname(lfd, (struct sockaddr *)&got, &len));
    CHECK_EQ(len, alen);
    CHECK(strcmp(got.sun_path, "unix-stream.sock") == 0);
    CHECK_OK(listen(lfd, 4));
    /* The name is taken, by a socket or by a file. */
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(bind(other, (struct sockaddr *)&a, alen), EADDRINUSE);

    pthread_t t;
    pthread_create(&t, NULL, greeter, &lfd);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_OK(connect(fd, (struct sockaddr *)&a, alen));
    char buf[16];
    CHECK_EQ(read(fd, buf, sizeof buf), 7);
    CHECK(memcmp(buf, "welcome", 7) == 0);
    len = sizeof got;
    CHECK_OK(getpeername(fd, (struct sockaddr *)&got, &len));
    CHECK(strcmp(got.sun_path, "unix-stream.sock") == 0);
    /* The client is unnamed. */
    len = sizeof got;
    CHECK_OK(getsockname(fd, (struct sockaddr *)&got, &len));
    CHECK_EQ(len, sizeof(sa_family_t));
    CHECK_ERR(connect(fd, (struct sockaddr *)&a, alen), EISCONN);
    close(fd);
    pthread_join(t, NULL);

    /* The accepted socket has the server's name; accept reports the client's (unnamed). */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_OK(connect(fd, (struct sockaddr *)&a, alen));
    len = sizeof got;
    int c = CHECK_OK(accept(lfd, (struct sockaddr *)&got, &len));
    CHECK_EQ(len, sizeof(sa_family_t));
    len = sizeof got;
    CHECK_OK(getsockname(c, (struct sockaddr *)&got, &len));
    CHECK(strcmp(got.sun_path, "unix-stream.sock") == 0);
    /* Closing with unread data resets the peer. */
    write(fd, "unread", 6);
    close(c);
    CHECK_ERR(read(fd, buf, sizeof buf), ECONNRESET);
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    close(fd);

    /* A listener's backlog: once it is full a non-blocking connect gets EAGAIN. */
    CHECK_OK(listen(lfd, 0));
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK_OK(connect(c1, (struct sockaddr *)&a, alen));
    int r2 = connect(c2, (struct sockaddr *)&a, alen);
    int r3 = connect(c3, (struct sockaddr *)&a, alen);
    CHECK(r2 == -1 || r3 == -1);
    CHECK_EQ(errno, EAGAIN);
    close(c1);
    close(c2);
    close(c3);

    /* Closed: the file stays, but nobody answers there. Unlinked: the name is free again. */
    close(lfd);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(connect(fd, (struct sockaddr *)&a, alen), ECONNREFUSED);
    CHECK_OK(unlink("unix-stream.sock"));
    CHECK_ERR(connect(fd, (struct sockaddr *)&a, alen), ENOENT);
    CHECK_OK(bind(other, (struct sockaddr *)&a, alen));
    close(other);
    unlink("unix-stream.sock");
    close(fd);

    /* A regular file is not a socket. */
    close(open("plain-file", O_CREAT | O_WRONLY, 0644));
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = path_addr(&a, "plain-file");
    CHECK_ERR(connect(fd, (struct sockaddr *)&a, alen), ECONNREFUSED);
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, alen), EADDRINUSE);
    alen = path_addr(&a, "no-such-dir/sock");
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, alen), ENOENT);
    close(fd);
    unlink("plain-file");
}

static void abstract_names(void) {
    struct sockaddr_un a, got;
    socklen_t alen = abstract_addr(&a, "nanots-abstract-test");
    int lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK_OK(bind(lfd, (struct sockaddr *)&a, alen));
    CHECK_OK(listen(lfd, 2));
    socklen_t len = sizeof got;
    CHECK_OK(getsockname(lfd, (struct sockaddr *)&got, &len));
    CHECK_EQ(len, alen);
    CHECK(got.sun_path[0] == 0 && memcmp(got.sun_path + 1, "nanots-abstract-test", 20) == 0);
    int dup = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK_ERR(bind(dup, (struct sockaddr *)&a, alen), EADDRINUSE);
    /* Abstract names are per type: a stream socket finds no seqpacket listener. */
    int wrong = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(connect(wrong, (struct sockaddr *)&a, alen), ECONNREFUSED);
    CHECK_OK(connect(dup, (struct sockaddr *)&a, alen));
    int c = CHECK_OK(accept4(lfd, NULL, NULL, SOCK_NONBLOCK));
    CHECK_EQ(send(dup, "rec1", 4, 0), 4);
    CHECK_EQ(send(dup, "record2", 7, 0), 7);
    char buf[16];
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 4);
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 7);
    CHECK_ERR(recv(c, buf, sizeof buf, 0), EAGAIN);
    close(c);
    close(dup);
    close(wrong);
    close(lfd);
    /* The abstract name goes with its socket. */
    int again = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(connect(again, (struct sockaddr *)&a, alen), ECONNREFUSED);
    CHECK_OK(bind(again, (struct sockaddr *)&a, alen));
    close(again);

    /* Binding with just the family picks an abstract name (autobind). */
    int autob = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un fam = {AF_UNIX, {0}};
    CHECK_OK(bind(autob, (struct sockaddr *)&fam, sizeof(sa_family_t)));
    len = sizeof got;
    CHECK_OK(getsockname(autob, (struct sockaddr *)&got, &len));
    CHECK_EQ(len, sizeof(sa_family_t) + 6);
    CHECK_EQ(got.sun_path[0], 0);
    close(autob);
}

static void datagrams_by_name(void) {
    struct sockaddr_un a, b, from;
    socklen_t alen = path_addr(&a, "unix-dgram-a.sock");
    socklen_t blen = path_addr(&b, "unix-dgram-b.sock");
    int sa = socket(AF_UNIX, SOCK_DGRAM, 0);
    int sb = socket(AF_UNIX, SOCK_DGRAM, 0);
    int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_OK(bind(sa, (struct sockaddr *)&a, alen));
    CHECK_OK(bind(sb, (struct sockaddr *)&b, blen));
    CHECK_EQ(sendto(sa, "from a", 6, 0, (struct sockaddr *)&b, blen), 6);
    CHECK_EQ(sendto(anon, "anon", 4, 0, (struct sockaddr *)&b, blen), 4);
    char buf[16];
    socklen_t len = sizeof from;
    CHECK_EQ(recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 6);
    CHECK_EQ(len, alen);
    CHECK(strcmp(from.sun_path, "unix-dgram-a.sock") == 0);
    len = sizeof from;
    CHECK_EQ(recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 4);
    CHECK_EQ(len, 0); /* an unnamed sender has no address */
    /* Connected: send needs no address; a socket connected elsewhere refuses strangers. */
    CHECK_ERR(send(sa, "x", 1, 0), ENOTCONN);
    CHECK_OK(connect(sa, (struct sockaddr *)&b, blen));
    CHECK_EQ(send(sa, "hello", 5, 0), 5);
    CHECK_EQ(recv(sb, buf, sizeof buf, 0), 5);
    CHECK_OK(connect(sb, (struct sockaddr *)&a, alen));
    CHECK_ERR(sendto(anon, "x", 1, 0, (struct sockaddr *)&b, blen), EPERM);
    /* A stream socket is not a datagram peer. */
    int st = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(connect(st, (struct sockaddr *)&b, blen), EPROTOTYPE);
    close(st);
    /* Sending to a name nobody has. */
    struct sockaddr_un none;
    socklen_t nlen = path_addr(&none, "unix-none.sock");
    CHECK_ERR(sendto(anon, "x", 1, 0, (struct sockaddr *)&none, nlen), ENOENT);
    nlen = abstract_addr(&none, "nanots-nobody");
    CHECK_ERR(sendto(anon, "x", 1, 0, (struct sockaddr *)&none, nlen), ECONNREFUSED);
    /* A closed peer refuses. */
    close(sb);
    CHECK_ERR(send(sa, "x", 1, 0), ECONNREFUSED);
    close(sa);
    close(anon);
    unlink("unix-dgram-a.sock");
    unlink("unix-dgram-b.sock");
}

static void errors(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    char buf[4];
    socklen_t len = sizeof a;
    CHECK_ERR(getpeername(fd, (struct sockaddr *)&a, &len), ENOTCONN);
    CHECK_ERR(recv(fd, buf, sizeof buf, 0), EINVAL);
    CHECK_ERR(send(fd, "x", 1, MSG_NOSIGNAL), ENOTCONN);
    CHECK_ERR(accept(fd, NULL, NULL), EINVAL);
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, 1), EINVAL);
    struct sockaddr_in in = {0};
    in.sin_family = AF_INET;
    CHECK_ERR(bind(fd, (struct sockaddr *)&in, sizeof in), EINVAL);
    CHECK_ERR(connect(fd, (struct sockaddr *)&in, sizeof in), EINVAL);
    CHECK_ERR(bind(fd, (struct sockaddr *)1, sizeof a), EFAULT);
    CHECK_ERR(bind(fd, (struct sockaddr *)&a, 200), EINVAL);
    CHECK_ERR(bind(9999, (struct sockaddr *)&a, sizeof a), EBADF);
    CHECK_ERR(connect(9999, (struct sockaddr *)&a, sizeof a), EBADF);
    close(fd);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_ERR(listen(d, 1), EOPNOTSUPP);
    close(d);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    stream_on_path();
    abstract_names();
    datagrams_by_name();
    errors();
    return check_done();
}
