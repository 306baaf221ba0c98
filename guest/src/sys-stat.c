/* sys-stat: stat, lstat, fstat, newfstatat (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH) and statx:
 * the fields that mean the same everywhere (type, size, link count of files, the inode shared by
 * two paths to one file) and the error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"
#ifndef STATX_BASIC_STATS /* musl 1.2.3 has no statx */
#include <stdint.h>
struct statx_timestamp { int64_t tv_sec; uint32_t tv_nsec; int32_t spare; };
struct statx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, spare0;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare2[14];
};
#define STATX_TYPE 0x1u
#define STATX_MODE 0x2u
#define STATX_NLINK 0x4u
#define STATX_INO 0x100u
#define STATX_SIZE 0x200u
#define STATX_BASIC_STATS 0x7ffu
static int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf) {
    return syscall(SYS_statx, dirfd, path, flags, mask, buf);
}
#endif

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct stat st, st2;
    int fd = CHECK_OK(open("file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "twelve bytes", 12), 12);
    CHECK_OK(mkdir("dir", 0755));
    CHECK_OK(symlink("file", "link"));
    CHECK_OK(symlink("missing", "dangling"));

    /* stat follows links, lstat does not. */
    CHECK_OK(stat("file", &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_size, 12);
    CHECK_EQ(st.st_nlink, 1);
    CHECK(st.st_ino != 0);
    CHECK_OK(stat("link", &st2));
    CHECK(S_ISREG(st2.st_mode));
    CHECK_EQ(st2.st_ino, st.st_ino);
    CHECK_EQ(st2.st_dev, st.st_dev);
    CHECK_OK(lstat("link", &st2));
    CHECK(S_ISLNK(st2.st_mode));
    CHECK_EQ(st2.st_size, 4);
    CHECK(st2.st_ino != st.st_ino);
    CHECK_OK(lstat("file", &st2));
    CHECK_EQ(st2.st_ino, st.st_ino);
    CHECK_OK(stat("dir", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_OK(stat("dir/", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_OK(lstat("dangling", &st));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_EQ(st.st_size, 7);
    CHECK_ERR(stat("dangling", &st), ENOENT);
    CHECK_ERR(stat("missing", &st), ENOENT);
    CHECK_ERR(stat("", &st), ENOENT);
    CHECK_ERR(stat("file/", &st), ENOTDIR);
    CHECK_ERR(lstat("file/x", &st), ENOTDIR);
    CHECK_ERR(syscall(SYS_stat, "file", (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_stat, (void *)1, &st), EFAULT);
    CHECK_ERR(syscall(SYS_lstat, "link", (void *)1), EFAULT);

    /* fstat sees the size the description has written. */
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 12);
    CHECK_EQ(pwrite(fd, "!", 1, 99), 1);
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 100);
    CHECK_OK(stat("file", &st2));
    CHECK_EQ(st2.st_size, 100);
    CHECK_ERR(fstat(-1, &st), EBADF);
    CHECK_ERR(fstat(9999, &st), EBADF);
    CHECK_ERR(syscall(SYS_fstat, fd, (void *)1), EFAULT);
    /* The size of an unlinked but open file stays visible. */
    CHECK_OK(unlink("file"));
    CHECK_OK(fstat(fd, &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_size, 100);
    CHECK_EQ(st.st_nlink, 0);
    CHECK_OK(close(fd));
    fd = CHECK_OK(open("file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "twelve bytes", 12), 12);

    /* newfstatat: relative to a directory fd; flags. */
    int dfd = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_OK(fstatat(dfd, "link", &st, 0));
    CHECK(S_ISREG(st.st_mode));
    CHECK_OK(fstatat(dfd, "link", &st, AT_SYMLINK_NOFOLLOW));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_OK(fstatat(AT_FDCWD, "file", &st, 0));
    CHECK_EQ(st.st_size, 12);
    /* AT_EMPTY_PATH: the fd itself (any kind of file, O_PATH too). */
    CHECK_OK(syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH));
    CHECK_EQ(st.st_size, 12);
    int pfd = CHECK_OK(open("link", O_PATH | O_NOFOLLOW));
    CHECK_OK(syscall(SYS_newfstatat, pfd, "", &st, AT_EMPTY_PATH));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_OK(close(pfd));
    CHECK_OK(syscall(SYS_newfstatat, AT_FDCWD, "", &st, AT_EMPTY_PATH));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_ERR(syscall(SYS_newfstatat, fd, "", &st, 0), ENOENT);
    CHECK_ERR(syscall(SYS_newfstatat, fd, "x", &st, 0), ENOTDIR);
    CHECK_ERR(syscall(SYS_newfstatat, 9999, "x", &st, 0), EBADF);
    CHECK_ERR(syscall(SYS_newfstatat, 9999, "", &st, AT_EMPTY_PATH), EBADF);
    CHECK_ERR(syscall(SYS_newfstatat, dfd, "file", &st, 0x4000000), EINVAL);
    CHECK_ERR(syscall(SYS_newfstatat, dfd, "file", (void *)1, 0), EFAULT);

    /* statx: the basic fields, the same answers. */
    struct statx sx;
    CHECK_OK(statx(dfd, "file", 0, STATX_BASIC_STATS, &sx));
    CHECK((sx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_NLINK | STATX_INO)) ==
          (STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_NLINK | STATX_INO));
    CHECK(S_ISREG(sx.stx_mode));
    CHECK_EQ(sx.stx_size, 12);
    CHECK_EQ(sx.stx_nlink, 1);
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(sx.stx_ino, st.st_ino);
    CHECK_EQ(sx.stx_mode, st.st_mode);
    CHECK_OK(statx(AT_FDCWD, "link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
    CHECK(S_ISLNK(sx.stx_mode));
    CHECK_EQ(sx.stx_size, 4);
    CHECK_OK(statx(AT_FDCWD, "link", 0, STATX_BASIC_STATS, &sx));
    CHECK(S_ISREG(sx.stx_mode));
    CHECK_OK(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
    CHECK_EQ(sx.stx_size, 12);
    CHECK_OK(statx(AT_FDCWD, "dir", 0, STATX_TYPE, &sx));
    CHECK(S_ISDIR(sx.stx_mode));
    CHECK_ERR(statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx), ENOENT);
    CHECK_ERR(statx(AT_FDCWD, "file", 0, 0x80000000u, &sx), EINVAL);
    CHECK_ERR(statx(AT_FDCWD, "file", 0x4000000, STATX_BASIC_STATS, &sx), EINVAL);
    CHECK_ERR(statx(9999, "file", 0, STATX_BASIC_STATS, &sx), EBADF);
    CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "file", 0, STATX_BASIC_STATS, (void *)1), EFAULT);

    /* Devices are character devices. */
    CHECK_OK(stat("/dev/null", &st));
    CHECK(S_ISCHR(st.st_mode));

    CHECK_OK(close(dfd));
    CHECK_OK(close(fd));
    CHECK_OK(unlink("file"));
    CHECK_OK(unlink("link"));
    CHECK_OK(unlink("dangling"));
    CHECK_OK(rmdir("dir"));
    return check_done();
}
