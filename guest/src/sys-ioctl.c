/* sys-ioctl: the generic ioctls on files, pipes and devices: FIONBIO (sets O_NONBLOCK),
 * FIONREAD (bytes left to read), FIOCLEX/FIONCLEX (close-on-exec), and terminal requests such
 * as TCGETS on something that is not a terminal (ENOTTY), with EBADF and EFAULT. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include "check.h"

int main(int argc, char **argv) {
    scratch(argc, argv);
    int fd = CHECK_OK(open("file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "0123456789", 10), 10);
    int on = 1, off = 0, n = -1;

    /* FIONBIO toggles O_NONBLOCK on the open file (shared with dups). */
    int dup_fd = CHECK_OK(dup(fd));
    CHECK_OK(ioctl(fd, FIONBIO, &on));
    CHECK(fcntl(dup_fd, F_GETFL) & O_NONBLOCK);
    CHECK_OK(ioctl(dup_fd, FIONBIO, &off));
    CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    CHECK_ERR(ioctl(fd, FIONBIO, (void *)1), EFAULT);

    /* FIOCLEX/FIONCLEX: the descriptor's own close-on-exec flag. */
    CHECK_OK(ioctl(fd, FIOCLEX));
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(dup_fd, F_GETFD), 0);
    CHECK_OK(ioctl(fd, FIONCLEX));
    CHECK_EQ(fcntl(fd, F_GETFD), 0);

    /* FIONREAD on a file: what is left after the offset. */
    CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
    CHECK_OK(ioctl(fd, FIONREAD, &n));
    CHECK_EQ(n, 7);
    CHECK_EQ(lseek(fd, 0, SEEK_END), 10);
    CHECK_OK(ioctl(fd, FIONREAD, &n));
    CHECK_EQ(n, 0);
    CHECK_ERR(ioctl(fd, FIONREAD, (void *)1), EFAULT);
    /* On a pipe: the bytes waiting in it. */
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_OK(ioctl(p[0], FIONREAD, &n));
    CHECK_EQ(n, 0);
    CHECK_EQ(write(p[1], "hello", 5), 5);
    CHECK_OK(ioctl(p[0], FIONREAD, &n));
    CHECK_EQ(n, 5);
    char buf[8];
    CHECK_EQ(read(p[0], buf, 2), 2);
    CHECK_OK(ioctl(p[0], FIONREAD, &n));
    CHECK_EQ(n, 3);

    /* Terminal requests on what is not a terminal: ENOTTY; isatty says no. */
    struct termios t;
    CHECK_ERR(ioctl(fd, TCGETS, &t), ENOTTY);
    CHECK_ERR(ioctl(p[0], TCGETS, &t), ENOTTY);
    struct winsize ws;
    CHECK_ERR(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
    CHECK_EQ(isatty(fd), 0);
    CHECK_EQ(errno, ENOTTY);
    int null = CHECK_OK(open("/dev/null", O_RDWR));
    CHECK_ERR(ioctl(null, TCGETS, &t), ENOTTY);
    CHECK_ERR(ioctl(null, FIONREAD, &n), ENOTTY);
    CHECK_EQ(isatty(null), 0);
    int dfd = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_ERR(ioctl(dfd, FIONREAD, &n), ENOTTY);
    CHECK_ERR(ioctl(dfd, TCGETS, &t), ENOTTY);
    CHECK_ERR(ioctl(fd, 0x12345678, 0), ENOTTY);

    /* Closed and O_PATH descriptors. */
    CHECK_ERR(ioctl(9999, FIONBIO, &on), EBADF);
    CHECK_ERR(ioctl(-1, FIONREAD, &n), EBADF);
    int opath = CHECK_OK(open("file", O_PATH));
    CHECK_ERR(ioctl(opath, FIONBIO, &on), EBADF);
    CHECK_ERR(ioctl(opath, FIOCLEX), EBADF);

    CHECK_OK(close(opath));
    CHECK_OK(close(dfd));
    CHECK_OK(close(null));
    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));
    CHECK_OK(close(dup_fd));
    CHECK_OK(close(fd));
    CHECK_OK(unlink("file"));
    return check_done();
}
