/* sys-truncate: truncate and ftruncate (shrinking drops data, growing adds zeros), fallocate
 * (mode 0 grows the file, FALLOC_FL_KEEP_SIZE does not, a punched hole reads as zeros) and
 * fadvise64, with their error returns. fadvise64 and fallocate are raw syscalls: glibc's
 * posix_fadvise returns the error instead of setting errno. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 1
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 2
#endif

static long size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static long falloc(int fd, int mode, long offset, long len) { return syscall(SYS_fallocate, fd, mode, offset, len); }
static long fadvise(int fd, long offset, long len, int advice) { return syscall(SYS_fadvise64, fd, offset, len, advice); }

/* True when `len` bytes at `at` of the file are all `byte`. */
static int all(int fd, long at, long len, char byte) {
    char buf[512];
    while (len > 0) {
        long n = pread(fd, buf, len < (long)sizeof buf ? len : (long)sizeof buf, at);
        if (n <= 0) return 0;
        for (long i = 0; i < n; i++)
            if (buf[i] != byte) return 0;
        at += n, len -= n;
    }
    return 1;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    static char data[4100];
    memset(data, 'x', sizeof data);
    int fd = CHECK_OK(open("t", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, data, 3000), 3000);

    /* truncate by path: shrink, then grow with zeros (the dropped bytes do not come back). */
    CHECK_OK(truncate("t", 1000));
    CHECK_EQ(size_of("t"), 1000);
    CHECK_OK(truncate("t", 5000));
    CHECK_EQ(size_of("t"), 5000);
    CHECK(all(fd, 0, 1000, 'x'));
    CHECK(all(fd, 1000, 4000, 0));
    CHECK_OK(symlink("t", "t-link"));
    CHECK_OK(truncate("t-link", 10));
    CHECK_EQ(size_of("t"), 10);
    CHECK_ERR(truncate("t", -1), EINVAL);
    CHECK_ERR(truncate("missing", 0), ENOENT);
    CHECK_ERR(truncate("t/x", 0), ENOTDIR);
    CHECK_OK(mkdir("dir", 0755));
    CHECK_ERR(truncate("dir", 0), EISDIR);
    CHECK_ERR(truncate("", 0), ENOENT);
    CHECK_ERR(syscall(SYS_truncate, (void *)1, 0), EFAULT);

    /* ftruncate: the same through a descriptor; the offset does not move. */
    CHECK_EQ(lseek(fd, 7, SEEK_SET), 7);
    CHECK_OK(ftruncate(fd, 3));
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
    CHECK_EQ(size_of("t"), 3);
    CHECK_EQ(write(fd, "y", 1), 1);
    CHECK_EQ(size_of("t"), 8);
    CHECK(all(fd, 3, 4, 0));
    CHECK_OK(ftruncate(fd, 0));
    CHECK_EQ(size_of("t"), 0);
    CHECK_ERR(ftruncate(fd, -1), EINVAL);
    CHECK_ERR(ftruncate(9999, 0), EBADF);
    int ro = CHECK_OK(open("t", O_RDONLY));
    CHECK_ERR(ftruncate(ro, 0), EINVAL);
    int dfd = CHECK_OK(open("dir", O_RDONLY | O_DIRECTORY));
    CHECK_ERR(ftruncate(dfd, 0), EINVAL);
    int p[2];
    CHECK_OK(pipe(p));
    CHECK_ERR(ftruncate(p[1], 0), EINVAL);
    int opath = CHECK_OK(open("t", O_PATH));
    CHECK_ERR(ftruncate(opath, 0), EBADF);

    /* fallocate mode 0: the file grows to cover the range, which reads as zeros. */
    CHECK_EQ(pwrite(fd, "abc", 3, 0), 3);
    CHECK_OK(falloc(fd, 0, 0, 2));
    CHECK_EQ(size_of("t"), 3);
    CHECK_OK(falloc(fd, 0, 100, 4000));
    CHECK_EQ(size_of("t"), 4100);
    CHECK(all(fd, 3, 4097, 0));
    /* FALLOC_FL_KEEP_SIZE reserves without changing the size. */
    CHECK_OK(falloc(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20));
    CHECK_EQ(size_of("t"), 4100);
    char c;
    CHECK_EQ(pread(fd, &c, 1, 4100), 0);
    /* Punching a hole (with KEEP_SIZE) zeroes the range and keeps the size. */
    CHECK_EQ(pwrite(fd, data, 4100, 0), 4100);
    CHECK_OK(falloc(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1024, 2048));
    CHECK_EQ(size_of("t"), 4100);
    CHECK(all(fd, 0, 1024, 'x'));
    CHECK(all(fd, 1024, 2048, 0));
    CHECK(all(fd, 3072, 1028, 'x'));
    /* Errors. */
    CHECK_ERR(falloc(fd, 0, -1, 10), EINVAL);
    CHECK_ERR(falloc(fd, 0, 0, 0), EINVAL);
    CHECK_ERR(falloc(fd, 0, 0, -5), EINVAL);
    CHECK_ERR(falloc(ro, 0, 0, 10), EBADF);
    CHECK_ERR(falloc(9999, 0, 0, 10), EBADF);
    CHECK_ERR(falloc(p[1], 0, 0, 10), ESPIPE);

    /* fadvise64: any advice from 0 to 5 on a file; bad advice, a pipe, a bad fd are errors. */
    for (int advice = 0; advice <= 5; advice++) CHECK_EQ(fadvise(fd, 0, 100, advice), 0);
    CHECK_EQ(fadvise(fd, 0, 0, 3), 0);
    CHECK_ERR(fadvise(fd, 0, 100, 6), EINVAL);
    CHECK_ERR(fadvise(fd, 0, -1, 0), EINVAL);
    CHECK_ERR(fadvise(p[0], 0, 100, 0), ESPIPE);
    CHECK_ERR(fadvise(9999, 0, 100, 0), EBADF);
    CHECK_EQ(fadvise(ro, 0, 100, 4), 0);

    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));
    CHECK_OK(close(opath));
    CHECK_OK(close(dfd));
    CHECK_OK(close(ro));
    CHECK_OK(close(fd));
    CHECK_OK(unlink("t-link"));
    CHECK_OK(unlink("t"));
    CHECK_OK(rmdir("dir"));
    return check_done();
}
