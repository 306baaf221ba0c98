/* sys-fds: descriptor syscalls. dup, dup2, dup3, close and fcntl's descriptor commands
 * (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL), with their error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include "check.h"

int main(int argc, char **argv) {
    scratch(argc, argv);
    int fd = CHECK_OK(open("fds-file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "abcdef", 6), 6);

    /* dup takes the lowest free number and shares the file offset. */
    int low = CHECK_OK(dup(fd));
    CHECK(low > fd);
    CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
    CHECK_EQ(lseek(low, 0, SEEK_CUR), 2);
    CHECK_OK(close(low));
    CHECK_EQ(dup(fd), low);
    CHECK_ERR(dup(-1), EBADF);
    CHECK_ERR(dup(9999), EBADF);

    /* dup2 onto an open descriptor closes it first; onto itself it is a no-op check. */
    int other = CHECK_OK(open("fds-file", O_RDONLY));
    CHECK_EQ(dup2(fd, other), other);
    CHECK_EQ(lseek(other, 0, SEEK_CUR), 2);
    CHECK_EQ(dup2(fd, fd), fd);
    CHECK_ERR(dup2(9999, fd), EBADF);
    CHECK_ERR(dup2(9999, 9999), EBADF);
    CHECK_ERR(dup2(fd, -1), EBADF);

    /* dup3: flags are only O_CLOEXEC, and the same descriptor twice is EINVAL (raw syscalls:
     * musl's wrapper checks some of this itself). */
    CHECK_ERR(syscall(SYS_dup3, fd, fd, 0), EINVAL);
    CHECK_ERR(syscall(SYS_dup3, fd, other, O_NONBLOCK), EINVAL);
    CHECK_EQ(dup3(fd, other, O_CLOEXEC), other);
    CHECK_EQ(fcntl(other, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(dup2(fd, other), other);
    CHECK_EQ(fcntl(other, F_GETFD), 0);

    /* F_DUPFD picks the lowest free number at or above its argument. */
    CHECK_EQ(fcntl(fd, F_DUPFD, 40), 40);
    CHECK_EQ(fcntl(fd, F_DUPFD, 40), 41);
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    int ce = CHECK_OK(fcntl(fd, F_DUPFD_CLOEXEC, 50));
    CHECK_EQ(ce, 50);
    CHECK_EQ(fcntl(ce, F_GETFD), FD_CLOEXEC);
    CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
    CHECK_OK(close(40));
    CHECK_OK(close(41));

    /* F_SETFD/F_GETFD is per descriptor; F_SETFL/F_GETFL is per open file. */
    CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(low, F_GETFD), 0);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    CHECK_OK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
    CHECK_EQ(fcntl(low, F_GETFL) & (O_APPEND | O_NONBLOCK), O_APPEND | O_NONBLOCK);
    /* The access mode cannot be changed by F_SETFL. */
    CHECK_OK(fcntl(fd, F_SETFL, O_RDONLY));
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    CHECK_ERR(fcntl(9999, F_GETFL), EBADF);
    CHECK_ERR(fcntl(fd, 12345), EINVAL);

    /* close: once only. */
    CHECK_OK(close(ce));
    CHECK_ERR(close(ce), EBADF);
    CHECK_ERR(close(-1), EBADF);
    /* Descriptor numbers are unsigned int: the upper half of the register is ignored. */
    int spare = CHECK_OK(dup(fd));
    CHECK_EQ(syscall(SYS_close, (1L << 32) | spare), 0);
    CHECK_ERR(fcntl(spare, F_GETFD), EBADF);
    CHECK_OK(unlink("fds-file"));
    return check_done();
}
