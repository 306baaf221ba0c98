/* sys-sendfile: sendfile from a file to a file and to a pipe, with and without an offset
 * pointer (which moves instead of the file offset), and copy_file_range between files, with
 * their error returns (EBADF, EINVAL, EFAULT). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

static long cfr(int in, long *in_off, int out, long *out_off, unsigned long len, unsigned flags) {
    return syscall(SYS_copy_file_range, in, in_off, out, out_off, len, flags);
}

static int content_is(const char *path, const char *expected) {
    char buf[128] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n == (long)strlen(expected) && memcmp(buf, expected, n) == 0;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    int in = CHECK_OK(open("in", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(in, "abcdefghijklmnopqrstuvwxyz", 26), 26);
    int out = CHECK_OK(open("out", O_CREAT | O_RDWR | O_TRUNC, 0644));

    /* Without an offset pointer: from the input's offset, which advances. */
    CHECK_EQ(lseek(in, 2, SEEK_SET), 2);
    CHECK_EQ(sendfile(out, in, NULL, 5), 5);
    CHECK_EQ(lseek(in, 0, SEEK_CUR), 7);
    CHECK_EQ(lseek(out, 0, SEEK_CUR), 5);
    CHECK(content_is("out", "cdefg"));
    /* With an offset pointer: from *offset, which advances; the file offset stays. */
    off_t off = 20;
    CHECK_EQ(sendfile(out, in, &off, 100), 6);
    CHECK_EQ(off, 26);
    CHECK_EQ(lseek(in, 0, SEEK_CUR), 7);
    CHECK(content_is("out", "cdefguvwxyz"));
    CHECK_EQ(sendfile(out, in, &off, 10), 0);
    CHECK_EQ(sendfile(out, in, NULL, 0), 0);
    CHECK_EQ(lseek(in, 0, SEEK_END), 26);
    CHECK_EQ(sendfile(out, in, NULL, 10), 0);

    /* To a pipe. */
    int p[2];
    CHECK_OK(pipe(p));
    off = 0;
    CHECK_EQ(sendfile(p[1], in, &off, 4), 4);
    char buf[16] = {0};
    CHECK_EQ(read(p[0], buf, sizeof buf), 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);

    /* Errors. */
    int ro = CHECK_OK(open("out", O_RDONLY));
    int wo = CHECK_OK(open("in", O_WRONLY));
    CHECK_ERR(sendfile(ro, in, NULL, 1), EBADF);
    CHECK_ERR(sendfile(out, wo, NULL, 1), EBADF);
    CHECK_ERR(sendfile(9999, in, NULL, 1), EBADF);
    CHECK_ERR(sendfile(out, 9999, NULL, 1), EBADF);
    off = -1;
    CHECK_ERR(sendfile(out, in, &off, 1), EINVAL);
    CHECK_ERR(sendfile(out, in, (off_t *)1, 1), EFAULT);
    int dfd = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_ERR(sendfile(out, dfd, NULL, 1), EINVAL);

    /* copy_file_range: between regular files, with or without offset pointers. */
    int dst = CHECK_OK(open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644));
    long ioff = 10, ooff = 0;
    CHECK_EQ(cfr(in, &ioff, dst, &ooff, 5, 0), 5);
    CHECK_EQ(ioff, 15);
    CHECK_EQ(ooff, 5);
    CHECK_EQ(lseek(dst, 0, SEEK_CUR), 0);
    CHECK(content_is("dst", "klmno"));
    CHECK_EQ(lseek(in, 23, SEEK_SET), 23);
    CHECK_EQ(lseek(dst, 5, SEEK_SET), 5);
    CHECK_EQ(cfr(in, NULL, dst, NULL, 100, 0), 3);
    CHECK_EQ(lseek(in, 0, SEEK_CUR), 26);
    CHECK_EQ(lseek(dst, 0, SEEK_CUR), 8);
    CHECK(content_is("dst", "klmnoxyz"));
    CHECK_EQ(cfr(in, NULL, dst, NULL, 100, 0), 0);
    CHECK_ERR(cfr(in, NULL, dst, NULL, 1, 1), EINVAL);
    CHECK_ERR(cfr(wo, NULL, dst, NULL, 1, 0), EBADF);
    CHECK_ERR(cfr(in, NULL, ro, NULL, 1, 0), EBADF);
    CHECK_ERR(cfr(9999, NULL, dst, NULL, 1, 0), EBADF);
    CHECK_ERR(cfr(in, (long *)1, dst, NULL, 1, 0), EFAULT);
    CHECK_ERR(cfr(dfd, NULL, dst, NULL, 1, 0), EISDIR);

    CHECK_OK(close(dfd));
    CHECK_OK(close(ro));
    CHECK_OK(close(wo));
    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));
    CHECK_OK(close(dst));
    CHECK_OK(close(out));
    CHECK_OK(close(in));
    CHECK_OK(unlink("in"));
    CHECK_OK(unlink("out"));
    CHECK_OK(unlink("dst"));
    return check_done();
}
