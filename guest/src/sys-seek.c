/* sys-seek: lseek with SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA and SEEK_HOLE, and its errors
 * (EINVAL for a bad whence or a negative result, ENXIO past the end, ESPIPE, EBADF). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

int main(int argc, char **argv) {
    scratch(argc, argv);
    static char page[4096];
    char buf[16];
    int fd = CHECK_OK(open("seek", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "0123456789", 10), 10);

    CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
    CHECK_EQ(lseek(fd, 2, SEEK_CUR), 5);
    CHECK_EQ(lseek(fd, -1, SEEK_CUR), 4);
    CHECK_EQ(lseek(fd, 0, SEEK_END), 10);
    CHECK_EQ(lseek(fd, -3, SEEK_END), 7);
    CHECK_EQ(read(fd, buf, 3), 3);
    CHECK(memcmp(buf, "789", 3) == 0);
    /* A negative result is EINVAL and the offset stays. */
    CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
    CHECK_ERR(lseek(fd, -11, SEEK_END), EINVAL);
    CHECK_ERR(lseek(fd, -100, SEEK_CUR), EINVAL);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);
    CHECK_ERR(lseek(fd, 0, 5), EINVAL);
    CHECK_ERR(lseek(fd, 0, -1), EINVAL);
    /* Seeking past the end is fine; writing there leaves zeros between. */
    CHECK_EQ(lseek(fd, 100, SEEK_END), 110);
    CHECK_EQ(read(fd, buf, 1), 0);
    CHECK_EQ(write(fd, "E", 1), 1);
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 111);
    CHECK_EQ(pread(fd, buf, 4, 50), 4);
    CHECK(memcmp(buf, "\0\0\0\0", 4) == 0);

    /* SEEK_DATA/SEEK_HOLE on a file with one page of data, a hole, one page of data. */
    int sparse = CHECK_OK(open("sparse", O_CREAT | O_RDWR | O_TRUNC, 0644));
    memset(page, 'd', sizeof page);
    CHECK_EQ(write(sparse, page, sizeof page), 4096);
    CHECK_EQ(pwrite(sparse, page, sizeof page, 1 << 20), 4096);
    CHECK_OK(fsync(sparse));
    CHECK_EQ(lseek(sparse, 0, SEEK_DATA), 0);
    CHECK_EQ(lseek(sparse, 100, SEEK_DATA), 100);
    CHECK_EQ(lseek(sparse, 0, SEEK_HOLE), 4096);
    CHECK_EQ(lseek(sparse, 8192, SEEK_DATA), 1 << 20);
    CHECK_EQ(lseek(sparse, 8192, SEEK_HOLE), 8192);
    CHECK_EQ(lseek(sparse, (1 << 20) + 1, SEEK_HOLE), (1 << 20) + 4096);
    CHECK_EQ(lseek(sparse, 0, SEEK_CUR), (1 << 20) + 4096);
    CHECK_ERR(lseek(sparse, (1 << 20) + 4096, SEEK_DATA), ENXIO);
    CHECK_ERR(lseek(sparse, (1 << 20) + 4096, SEEK_HOLE), ENXIO);
    CHECK_ERR(lseek(sparse, -1, SEEK_DATA), ENXIO);
    CHECK_ERR(lseek(sparse, -1, SEEK_HOLE), ENXIO);
    /* A file that ends in a hole: SEEK_DATA finds nothing after the data. */
    CHECK_OK(ftruncate(sparse, 3 << 20));
    CHECK_ERR(lseek(sparse, (2 << 20), SEEK_DATA), ENXIO);
    CHECK_EQ(lseek(sparse, (2 << 20), SEEK_HOLE), 2 << 20);
    /* An empty file has no data and no hole. */
    int empty = CHECK_OK(open("empty", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_ERR(lseek(empty, 0, SEEK_DATA), ENXIO);
    CHECK_ERR(lseek(empty, 0, SEEK_HOLE), ENXIO);
    CHECK_OK(close(empty));
    CHECK_OK(close(sparse));

    /* Descriptors that cannot seek. */
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
    CHECK_ERR(lseek(p[1], 0, SEEK_CUR), ESPIPE);
    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));
    CHECK_ERR(lseek(-1, 0, SEEK_SET), EBADF);
    CHECK_ERR(lseek(9999, 0, SEEK_SET), EBADF);
    /* A directory rewinds with SEEK_SET 0. */
    int dfd = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_EQ(lseek(dfd, 0, SEEK_SET), 0);
    CHECK_OK(close(dfd));

    CHECK_OK(close(fd));
    CHECK_OK(unlink("seek"));
    CHECK_OK(unlink("sparse"));
    CHECK_OK(unlink("empty"));
    return check_done();
}
