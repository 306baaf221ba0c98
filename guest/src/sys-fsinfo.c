/* sys-fsinfo: statfs and fstatfs (the fields every filesystem agrees on), access and faccessat,
 * umask, and file times with utime, utimes and utimensat (set, read back, UTIME_NOW,
 * UTIME_OMIT), with their error returns. Raw syscalls where libc wrappers emulate. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <utime.h>
#include "check.h"

static long faccessat_(int dirfd, const char *path, int mode) { return syscall(SYS_faccessat, dirfd, path, mode); }
static long utimensat_(int dirfd, const char *path, const struct timespec *ts, int flags) {
    return syscall(SYS_utimensat, dirfd, path, ts, flags);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct stat st;
    int fd = CHECK_OK(open("file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, "data", 4), 4);
    CHECK_OK(mkdir("dir", 0755));
    CHECK_OK(symlink("nowhere", "dangling"));

    /* statfs/fstatfs: consistent counts and the name limit; errors. */
    struct statfs sf, sf2;
    CHECK_OK(statfs(".", &sf));
    CHECK_EQ(sf.f_namelen, 255);
    CHECK(sf.f_bsize > 0);
    CHECK(sf.f_bfree <= sf.f_blocks);
    CHECK(sf.f_bavail <= sf.f_bfree);
    CHECK_OK(fstatfs(fd, &sf2));
    CHECK_EQ(sf2.f_namelen, 255);
    CHECK_EQ(sf2.f_bsize, sf.f_bsize);
    CHECK_EQ(sf2.f_blocks, sf.f_blocks);
    CHECK(memcmp(&sf2.f_fsid, &sf.f_fsid, sizeof sf.f_fsid) == 0);
    CHECK_OK(statfs("file", &sf2));
    CHECK_EQ(sf2.f_type, sf.f_type);
    CHECK_ERR(statfs("missing", &sf), ENOENT);
    CHECK_ERR(statfs("dangling", &sf), ENOENT);
    CHECK_ERR(statfs("file/x", &sf), ENOTDIR);
    CHECK_ERR(statfs("", &sf), ENOENT);
    CHECK_ERR(syscall(SYS_statfs, ".", (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_statfs, (void *)1, &sf), EFAULT);
    CHECK_ERR(fstatfs(9999, &sf), EBADF);
    CHECK_ERR(syscall(SYS_fstatfs, fd, (void *)1), EFAULT);

    /* access: existence and read/write (the program runs with every permission). */
    CHECK_OK(access("file", F_OK));
    CHECK_OK(access("file", R_OK | W_OK));
    CHECK_OK(access("dir", R_OK | W_OK | X_OK));
    CHECK_ERR(access("missing", F_OK), ENOENT);
    CHECK_ERR(access("dangling", F_OK), ENOENT);
    CHECK_ERR(access("file/x", F_OK), ENOTDIR);
    CHECK_ERR(access("file", 8), EINVAL);
    CHECK_ERR(access("", F_OK), ENOENT);
    CHECK_ERR(syscall(SYS_access, (void *)1, F_OK), EFAULT);
    /* faccessat: relative to a directory fd. */
    int dfd = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_OK(faccessat_(dfd, "file", R_OK));
    CHECK_OK(faccessat_(AT_FDCWD, "dir", F_OK));
    CHECK_ERR(faccessat_(dfd, "missing", F_OK), ENOENT);
    CHECK_ERR(faccessat_(9999, "file", F_OK), EBADF);
    CHECK_ERR(faccessat_(fd, "file", F_OK), ENOTDIR);
    CHECK_ERR(faccessat_(dfd, "file", -1), EINVAL);
    /* (faccessat2 is not a Nanos syscall: glibc falls back to faccessat when it is missing.) */

    /* umask: returns the old mask, keeps only the permission bits. */
    mode_t old = umask(027);
    CHECK_EQ(umask(022), 027);
    CHECK_EQ(syscall(SYS_umask, 0177777), 022);
    CHECK_EQ(umask(old), 0777);

    /* utimensat: set both, read back. */
    struct timespec ts[2] = {{1000000000, 0}, {1234567890, 0}};
    CHECK_OK(utimensat_(AT_FDCWD, "file", ts, 0));
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1000000000);
    CHECK_EQ(st.st_mtim.tv_sec, 1234567890);
    CHECK_EQ(st.st_mtim.tv_nsec, 0);
    /* UTIME_OMIT keeps one; UTIME_NOW takes the current time. */
    struct timespec keep_a[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
    CHECK_OK(utimensat_(dfd, "file", keep_a, 0));
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1000000000);
    CHECK_EQ(st.st_mtim.tv_sec, 1500000000);
    time_t before = time(NULL);
    struct timespec now_m[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    CHECK_OK(utimensat_(AT_FDCWD, "file", now_m, 0));
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1000000000);
    CHECK(st.st_mtim.tv_sec >= before);
    /* NULL times: both now. Through the fd with a NULL path (futimens). */
    CHECK_OK(utimensat_(AT_FDCWD, "file", ts, 0));
    CHECK_OK(utimensat_(fd, NULL, NULL, 0));
    CHECK_OK(fstat(fd, &st));
    CHECK(st.st_atim.tv_sec >= before);
    CHECK(st.st_mtim.tv_sec >= before);
    CHECK_OK(utimensat_(fd, NULL, ts, 0));
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1234567890);
    /* Reading moves the access time when it is not after the modification time (relatime);
     * once it is, another read leaves it; O_NOATIME reads never move it; nor do empty reads. */
    CHECK_OK(utimensat_(AT_FDCWD, "file", ts, 0));
    char byte;
    int rfd = CHECK_OK(open("file", O_RDONLY));
    CHECK_EQ(read(rfd, &byte, 0), 0);
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1000000000);
    CHECK_EQ(read(rfd, &byte, 1), 1);
    CHECK_OK(stat("file", &st));
    CHECK(st.st_atim.tv_sec >= before);
    CHECK_EQ(st.st_mtim.tv_sec, 1234567890);
    struct timespec atime_now = st.st_atim;
    CHECK_EQ(pread(rfd, &byte, 1, 0), 1);
    CHECK_OK(stat("file", &st));
    CHECK(st.st_atim.tv_sec == atime_now.tv_sec && st.st_atim.tv_nsec == atime_now.tv_nsec);
    CHECK_OK(close(rfd));
    CHECK_OK(utimensat_(AT_FDCWD, "file", ts, 0));
    rfd = CHECK_OK(open("file", O_RDONLY | O_NOATIME));
    CHECK_EQ(read(rfd, &byte, 1), 1);
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1000000000);
    CHECK_OK(close(rfd));
    /* Listing a directory is reading it. */
    CHECK_OK(utimensat_(AT_FDCWD, "dir", ts, 0));
    int lfd = CHECK_OK(open("dir", O_RDONLY | O_DIRECTORY));
    char dents[1024];
    CHECK(syscall(SYS_getdents64, lfd, dents, sizeof dents) > 0);
    CHECK_OK(fstat(lfd, &st));
    CHECK(st.st_atim.tv_sec >= before);
    CHECK_OK(close(lfd));

    /* A directory's modification time moves when an entry is made, renamed or removed in it,
     * not when a file in it is written. */
    CHECK_OK(utimensat_(AT_FDCWD, "dir", ts, 0));
    CHECK_OK(close(CHECK_OK(open("dir/entry", O_CREAT | O_WRONLY, 0644))));
    CHECK_OK(stat("dir", &st));
    CHECK(st.st_mtim.tv_sec >= before);
    CHECK_OK(utimensat_(AT_FDCWD, "dir", ts, 0));
    int efd = CHECK_OK(open("dir/entry", O_WRONLY));
    CHECK_EQ(write(efd, "x", 1), 1);
    CHECK_OK(close(efd));
    CHECK_OK(stat("dir", &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1234567890);
    CHECK_OK(rename("dir/entry", "dir/renamed"));
    CHECK_OK(stat("dir", &st));
    CHECK(st.st_mtim.tv_sec >= before);
    CHECK_OK(utimensat_(AT_FDCWD, "dir", ts, 0));
    CHECK_OK(unlink("dir/renamed"));
    CHECK_OK(stat("dir", &st));
    CHECK(st.st_mtim.tv_sec >= before);
    CHECK_OK(utimensat_(AT_FDCWD, "dir", ts, 0));
    CHECK_OK(mkdir("dir/sub", 0755));
    CHECK_OK(stat("dir", &st));
    CHECK(st.st_mtim.tv_sec >= before);
    CHECK_OK(utimensat_(AT_FDCWD, "dir", ts, 0));
    CHECK_OK(rmdir("dir/sub"));
    CHECK_OK(stat("dir", &st));
    CHECK(st.st_mtim.tv_sec >= before);

    /* AT_SYMLINK_NOFOLLOW sets a symlink's own times; without it the target's. */
    CHECK_OK(symlink("file", "flink"));
    struct timespec lts[2] = {{1600000000, 0}, {1700000000, 0}};
    CHECK_OK(utimensat_(AT_FDCWD, "flink", lts, AT_SYMLINK_NOFOLLOW));
    CHECK_OK(lstat("flink", &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
    CHECK_OK(stat("flink", &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1234567890);
    CHECK_OK(utimensat_(AT_FDCWD, "flink", lts, 0));
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
    CHECK_OK(utimensat_(AT_FDCWD, "file", ts, 0));
    CHECK_OK(unlink("flink"));
    /* Through an fd whose name was removed and reused: the new file's times do not change. */
    int old_fd = CHECK_OK(open("reused", O_CREAT | O_RDWR, 0644));
    CHECK_OK(unlink("reused"));
    CHECK_OK(close(CHECK_OK(open("reused", O_CREAT | O_RDWR, 0644))));
    CHECK_OK(utimensat_(AT_FDCWD, "reused", ts, 0));
    CHECK_OK(utimensat_(old_fd, NULL, lts, 0));
    CHECK_OK(stat("reused", &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1234567890);
    CHECK_OK(close(old_fd));
    CHECK_OK(unlink("reused"));
    /* Both omitted: nothing to do, the path is not even looked at. */
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    CHECK_OK(utimensat_(AT_FDCWD, "missing", omit, 0));
    /* Errors. */
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    CHECK_ERR(utimensat_(AT_FDCWD, "file", bad, 0), EINVAL);
    struct timespec negative[2] = {{0, -1}, {0, 0}};
    CHECK_ERR(utimensat_(AT_FDCWD, "file", negative, 0), EINVAL);
    CHECK_ERR(utimensat_(AT_FDCWD, "file", ts, 0x4000000), EINVAL);
    CHECK_ERR(utimensat_(AT_FDCWD, "missing", ts, 0), ENOENT);
    CHECK_ERR(utimensat_(9999, NULL, ts, 0), EBADF);
    CHECK_ERR(utimensat_(AT_FDCWD, NULL, ts, 0), EFAULT);
    CHECK_ERR(utimensat_(AT_FDCWD, "file", (void *)1, 0), EFAULT);

    /* utimes (microseconds) and utime (seconds). */
    struct timeval tv[2] = {{1100000000, 0}, {1200000000, 0}};
    CHECK_OK(utimes("file", tv));
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1100000000);
    CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
    struct timeval badtv[2] = {{0, 1000000}, {0, 0}};
    CHECK_ERR(utimes("file", badtv), EINVAL);
    CHECK_ERR(utimes("missing", tv), ENOENT);
    CHECK_ERR(syscall(SYS_utimes, "file", (void *)1), EFAULT);
    CHECK_OK(utimes("file", NULL));
    CHECK_OK(stat("file", &st));
    CHECK(st.st_mtim.tv_sec >= before);
    struct utimbuf ub = {1300000000, 1400000000};
    CHECK_OK(utime("file", &ub));
    CHECK_OK(stat("file", &st));
    CHECK_EQ(st.st_atim.tv_sec, 1300000000);
    CHECK_EQ(st.st_mtim.tv_sec, 1400000000);
    CHECK_OK(utime("dir", &ub));
    CHECK_OK(stat("dir", &st));
    CHECK_EQ(st.st_mtim.tv_sec, 1400000000);
    CHECK_ERR(utime("missing", &ub), ENOENT);
    CHECK_ERR(syscall(SYS_utime, "file", (void *)1), EFAULT);
    CHECK_OK(utime("file", NULL));
    CHECK_OK(stat("file", &st));
    CHECK(st.st_mtim.tv_sec >= before);

    CHECK_OK(close(dfd));
    CHECK_OK(close(fd));
    CHECK_OK(unlink("file"));
    CHECK_OK(unlink("dangling"));
    CHECK_OK(rmdir("dir"));
    return check_done();
}
