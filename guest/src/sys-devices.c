/* sys-devices: /dev/null, /dev/zero, /dev/urandom and /dev/random: what reads and writes give,
 * that their position stays 0, what fstat says (character devices with Linux's numbers). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "check.h"

static int zeros(const char *buf, long n) {
    for (long i = 0; i < n; i++)
        if (buf[i] != 0) return 0;
    return 1;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    static char buf[100000];
    struct stat st;

    /* /dev/null: reads end at once, writes vanish (without even reading the buffer). */
    int null = CHECK_OK(open("/dev/null", O_RDWR));
    CHECK_EQ(read(null, buf, sizeof buf), 0);
    CHECK_EQ(write(null, buf, sizeof buf), (long)sizeof buf);
    CHECK_EQ(syscall(SYS_write, null, (void *)1, 10), 10);
    CHECK_EQ(syscall(SYS_read, null, (void *)1, 10), 0);
    CHECK_EQ(pread(null, buf, 10, 100), 0);
    CHECK_EQ(pwrite(null, buf, 10, 100), 10);
    CHECK_EQ(lseek(null, 100, SEEK_SET), 0);
    CHECK_EQ(lseek(null, 0, SEEK_END), 0);
    CHECK_OK(fstat(null, &st));
    CHECK(S_ISCHR(st.st_mode));
    CHECK_EQ(major(st.st_rdev), 1);
    CHECK_EQ(minor(st.st_rdev), 3);
    CHECK_EQ(st.st_size, 0);
    CHECK_OK(close(null));
    /* It exists, so O_CREAT and O_TRUNC change nothing; O_EXCL refuses. */
    null = CHECK_OK(open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644));
    CHECK_OK(close(null));
    CHECK_ERR(open("/dev/null", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERR(open("/dev/null", O_RDONLY | O_DIRECTORY), ENOTDIR);
    null = CHECK_OK(open("/dev/null", O_RDONLY));
    CHECK_ERR(write(null, "x", 1), EBADF);
    CHECK_OK(close(null));

    /* /dev/zero: reads give zeros, any amount; writes vanish. */
    int zero = CHECK_OK(open("/dev/zero", O_RDWR));
    memset(buf, 'x', sizeof buf);
    CHECK_EQ(read(zero, buf, sizeof buf), (long)sizeof buf);
    CHECK(zeros(buf, sizeof buf));
    memset(buf, 'x', 64);
    CHECK_EQ(pread(zero, buf, 64, 12345), 64);
    CHECK(zeros(buf, 64));
    CHECK_EQ(write(zero, "abc", 3), 3);
    CHECK_EQ(read(zero, buf, 0), 0);
    CHECK_ERR(syscall(SYS_read, zero, (void *)1, 10), EFAULT);
    CHECK_EQ(lseek(zero, 100, SEEK_SET), 0);
    CHECK_OK(fstat(zero, &st));
    CHECK(S_ISCHR(st.st_mode));
    CHECK_EQ(major(st.st_rdev), 1);
    CHECK_EQ(minor(st.st_rdev), 5);
    CHECK_OK(close(zero));

    /* /dev/urandom and /dev/random: the bytes asked for, and not the same twice. */
    char a[64], b[64];
    int ur = CHECK_OK(open("/dev/urandom", O_RDONLY));
    CHECK_EQ(read(ur, a, sizeof a), 64);
    CHECK_EQ(read(ur, b, sizeof b), 64);
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK(!zeros(a, sizeof a));
    CHECK_EQ(read(ur, buf, 4096), 4096);
    CHECK_ERR(syscall(SYS_read, ur, (void *)1, 10), EFAULT);
    CHECK_OK(fstat(ur, &st));
    CHECK(S_ISCHR(st.st_mode));
    CHECK_EQ(major(st.st_rdev), 1);
    CHECK_EQ(minor(st.st_rdev), 9);
    CHECK_OK(close(ur));
    int rnd = CHECK_OK(open("/dev/random", O_RDONLY));
    CHECK_EQ(read(rnd, a, sizeof a), 64);
    CHECK(!zeros(a, sizeof a));
    CHECK_OK(fstat(rnd, &st));
    CHECK_EQ(major(st.st_rdev), 1);
    CHECK_EQ(minor(st.st_rdev), 8);
    CHECK_OK(close(rnd));

    /* stat by path agrees, and /dev is a directory. */
    CHECK_OK(stat("/dev/zero", &st));
    CHECK(S_ISCHR(st.st_mode));
    CHECK_OK(stat("/dev", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_ERR(stat("/dev/no-such-device", &st), ENOENT);
    return check_done();
}
