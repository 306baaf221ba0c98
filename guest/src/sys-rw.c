/* sys-rw: read, write, pread64, pwrite64, readv, writev, preadv and pwritev on files and pipes,
 * with their error returns (EFAULT, EINVAL for negative offsets and iovec counts, ESPIPE on
 * pipes, EBADF for the wrong access mode, EISDIR for a directory). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "check.h"

int main(int argc, char **argv) {
    scratch(argc, argv);
    char buf[256];
    int fd = CHECK_OK(open("rw", O_CREAT | O_RDWR | O_TRUNC, 0644));

    /* write and read move the shared offset; read at the end gives 0. */
    CHECK_EQ(write(fd, "0123456789", 10), 10);
    CHECK_EQ(write(fd, "", 0), 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
    CHECK_EQ(read(fd, buf, 3), 3);
    CHECK(memcmp(buf, "234", 3) == 0);
    CHECK_EQ(read(fd, buf, sizeof buf), 5);
    CHECK(memcmp(buf, "56789", 5) == 0);
    CHECK_EQ(read(fd, buf, 0), 0);

    /* pread/pwrite use their own position and leave the offset alone. */
    CHECK_EQ(pread(fd, buf, 4, 3), 4);
    CHECK(memcmp(buf, "3456", 4) == 0);
    CHECK_EQ(pread(fd, buf, 4, 100), 0);
    CHECK_EQ(pwrite(fd, "AB", 2, 4), 2);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);
    CHECK_EQ(pread(fd, buf, 10, 0), 10);
    CHECK(memcmp(buf, "0123AB6789", 10) == 0);
    /* pwrite past the end leaves a hole of zeros. */
    CHECK_EQ(pwrite(fd, "Z", 1, 20), 1);
    CHECK_EQ(pread(fd, buf, 32, 8), 13);
    CHECK(memcmp(buf, "89\0\0\0\0\0\0\0\0\0\0Z", 13) == 0);
    CHECK_ERR(syscall(SYS_pread64, fd, buf, 4, -1L), EINVAL);
    CHECK_ERR(syscall(SYS_pwrite64, fd, "x", 1, -4096L), EINVAL);

    /* Bad buffers are EFAULT; a count of zero touches nothing. */
    CHECK_ERR(syscall(SYS_write, fd, (void *)1, 4), EFAULT);
    CHECK_ERR(syscall(SYS_pread64, fd, (void *)1, 4, 0L), EFAULT);
    CHECK_ERR(syscall(SYS_pwrite64, fd, (void *)1, 4, 0L), EFAULT);
    CHECK_EQ(syscall(SYS_write, fd, (void *)1, 0), 0);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_ERR(syscall(SYS_read, fd, (void *)1, 4), EFAULT);

    /* With O_APPEND, Linux's pwrite appends too (its documented bug), and the offset stays. */
    int app = CHECK_OK(open("rw", O_WRONLY | O_APPEND));
    struct stat st;
    CHECK_OK(fstat(app, &st));
    CHECK_EQ(pwrite(app, "A", 1, 0), 1);
    CHECK_EQ(lseek(app, 0, SEEK_CUR), 0);
    CHECK_EQ(pread(fd, buf, 1, st.st_size), 1);
    CHECK_EQ(buf[0], 'A');
    CHECK_EQ(pread(fd, buf, 1, 0), 1);
    CHECK_EQ(buf[0], '0');
    CHECK_OK(close(app));

    /* The access mode is enforced per description. */
    int ro = CHECK_OK(open("rw", O_RDONLY));
    int wo = CHECK_OK(open("rw", O_WRONLY));
    CHECK_ERR(write(ro, "x", 1), EBADF);
    CHECK_ERR(pwrite(ro, "x", 1, 0), EBADF);
    CHECK_ERR(read(wo, buf, 1), EBADF);
    CHECK_ERR(pread(wo, buf, 1, 0), EBADF);
    struct iovec one = {buf, 1};
    CHECK_ERR(readv(wo, &one, 1), EBADF);
    CHECK_ERR(writev(ro, &one, 1), EBADF);
    CHECK_OK(close(ro));
    CHECK_OK(close(wo));
    CHECK_ERR(read(ro, buf, 1), EBADF);
    CHECK_ERR(write(-1, "x", 1), EBADF);

    /* A directory cannot be read. */
    CHECK_OK(mkdir("rw-dir", 0755));
    int dfd = CHECK_OK(open("rw-dir", O_RDONLY | O_DIRECTORY));
    CHECK_ERR(read(dfd, buf, 1), EISDIR);
    CHECK_ERR(pread(dfd, buf, 1, 0), EISDIR);
    CHECK_OK(close(dfd));
    CHECK_OK(rmdir("rw-dir"));

    /* writev gathers, readv scatters, in order; empty iovecs are skipped. */
    CHECK_OK(ftruncate(fd, 0));
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    struct iovec out[4] = {{"abc", 3}, {NULL, 0}, {"defgh", 5}, {"ij", 2}};
    CHECK_EQ(writev(fd, out, 4), 10);
    CHECK_EQ(writev(fd, out, 0), 0);
    char a[4], b[2], c[8];
    struct iovec in[3] = {{a, 4}, {b, 2}, {c, 8}};
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(readv(fd, in, 3), 10);
    CHECK(memcmp(a, "abcd", 4) == 0 && memcmp(b, "ef", 2) == 0 && memcmp(c, "ghij", 4) == 0);
    CHECK_EQ(readv(fd, in, 3), 0);

    /* preadv/pwritev take a position. */
    struct iovec pv[2] = {{"XY", 2}, {"Z", 1}};
    CHECK_EQ(pwritev(fd, pv, 2, 1), 3);
    CHECK_EQ(preadv(fd, in, 2, 0), 6);
    CHECK(memcmp(a, "aXYZ", 4) == 0 && memcmp(b, "ef", 2) == 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);
    CHECK_ERR(syscall(SYS_preadv, fd, in, 2, -1L, 0L), EINVAL);
    CHECK_ERR(syscall(SYS_pwritev, fd, pv, 2, -1L, 0L), EINVAL);

    /* iovec counts: negative or above IOV_MAX is EINVAL, IOV_MAX itself is fine. */
    static struct iovec many[IOV_MAX + 1];
    for (int i = 0; i <= IOV_MAX; i++) many[i] = (struct iovec){buf, 0};
    many[0].iov_len = 1;
    CHECK_ERR(writev(fd, many, IOV_MAX + 1), EINVAL);
    CHECK_ERR(syscall(SYS_readv, fd, many, -1), EINVAL);
    CHECK_EQ(writev(fd, many, IOV_MAX), 1);
    /* Lengths whose sum overflows ssize_t are EINVAL. */
    struct iovec huge[2] = {{buf, (size_t)1 << 62}, {buf, (size_t)3 << 62}};
    CHECK_ERR(writev(fd, huge, 2), EINVAL);
    /* An unreadable iovec array or buffer is EFAULT. */
    CHECK_ERR(syscall(SYS_readv, fd, (struct iovec *)1, 1), EFAULT);
    struct iovec bad = {(void *)1, 4};
    CHECK_ERR(writev(fd, &bad, 1), EFAULT);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_ERR(readv(fd, &bad, 1), EFAULT);
    /* A bad buffer after a good one: what was moved is reported. */
    struct iovec half[2] = {{"12", 2}, {(void *)1, 4}};
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(writev(fd, half, 2), 2);

    /* A buffer that ends at an unmapped page: the bytes before the fault are moved and counted. */
    static char block[300];
    memset(block, 'b', sizeof block);
    CHECK_EQ(pwrite(fd, block, sizeof block, 0), 300);
    char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(two != MAP_FAILED);
    CHECK_OK(munmap(two + 4096, 4096));
    char *edge = two + 4096 - 100;
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(read(fd, edge, 200), 100);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 100);
    CHECK(edge[0] == 'b' && edge[99] == 'b');
    memset(edge, 'e', 100);
    CHECK_EQ(pwrite(fd, edge, 200, 10), 100);
    CHECK_EQ(pread(fd, buf, 120, 0), 120);
    CHECK(buf[9] == 'b' && buf[10] == 'e' && buf[109] == 'e' && buf[110] == 'b');
    struct iovec edges[2] = {{edge, 200}, {buf, 10}};
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(readv(fd, edges, 2), 100);
    CHECK_OK(munmap(two, 4096));
    CHECK_OK(close(fd));

    /* Pipes have no position: pread/pwrite/preadv are ESPIPE; read/write work. */
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_EQ(write(p[1], "pipe", 4), 4);
    CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE);
    CHECK_ERR(pwrite(p[1], "x", 1, 0), ESPIPE);
    CHECK_ERR(preadv(p[0], in, 1, 0), ESPIPE);
    CHECK_ERR(write(p[0], "x", 1), EBADF);
    CHECK_ERR(read(p[1], buf, 1), EBADF);
    CHECK_EQ(readv(p[0], in, 1), 4);
    CHECK(memcmp(a, "pipe", 4) == 0);
    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));

    CHECK_OK(unlink("rw"));
    return check_done();
}
