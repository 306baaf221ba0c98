/* sys-open: open, openat and creat with the flags that matter (O_CREAT, O_EXCL, O_TRUNC,
 * O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_NONBLOCK, O_PATH) and their errors
 * (ENOENT, EEXIST, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG, EFAULT, EBADF). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

static long sys_open(const char *path, int flags, int mode) { return syscall(SYS_open, path, flags, mode); }
static long sys_openat(int dirfd, const char *path, int flags, int mode) {
    return syscall(SYS_openat, dirfd, path, flags, mode);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    char buf[64];

    /* O_CREAT makes an empty file; without it a missing file is ENOENT. */
    CHECK_ERR(sys_open("missing", O_RDONLY, 0), ENOENT);
    CHECK_ERR(sys_open("nodir/file", O_CREAT | O_WRONLY, 0644), ENOENT);
    int fd = CHECK_OK(sys_open("a", O_CREAT | O_RDWR, 0644));
    struct stat st;
    CHECK_OK(fstat(fd, &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_size, 0);
    CHECK_EQ(write(fd, "hello world", 11), 11);
    CHECK_OK(close(fd));

    /* O_EXCL: EEXIST for an existing name, even a dangling symlink. */
    CHECK_ERR(sys_open("a", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
    CHECK_OK(symlink("nowhere", "dangling"));
    CHECK_ERR(sys_open("dangling", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
    /* O_CREAT without O_EXCL through a dangling symlink creates its target. */
    fd = CHECK_OK(sys_open("dangling", O_CREAT | O_WRONLY, 0644));
    CHECK_OK(close(fd));
    CHECK_OK(access("nowhere", F_OK));

    /* O_CREAT on an existing file keeps its content; O_TRUNC empties it. */
    fd = CHECK_OK(sys_open("a", O_CREAT | O_RDONLY, 0644));
    CHECK_EQ(read(fd, buf, sizeof buf), 11);
    CHECK_OK(close(fd));
    fd = CHECK_OK(sys_open("a", O_TRUNC | O_RDWR, 0));
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 0);
    CHECK_EQ(write(fd, "0123456789", 10), 10);
    CHECK_OK(close(fd));

    /* creat is O_CREAT|O_WRONLY|O_TRUNC. */
    fd = CHECK_OK(syscall(SYS_creat, "a", 0644));
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 0);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
    CHECK_ERR(read(fd, buf, 1), EBADF);
    CHECK_EQ(write(fd, "abc", 3), 3);
    CHECK_OK(close(fd));
    CHECK_ERR(syscall(SYS_creat, "nodir/x", 0644), ENOENT);

    /* O_APPEND: every write goes to the end, whatever the offset. */
    fd = CHECK_OK(sys_open("a", O_WRONLY | O_APPEND, 0));
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(write(fd, "def", 3), 3);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
    CHECK(fcntl(fd, F_GETFL) & O_APPEND);
    CHECK_OK(close(fd));
    fd = CHECK_OK(sys_open("a", O_RDONLY, 0));
    CHECK_EQ(read(fd, buf, sizeof buf), 6);
    CHECK(memcmp(buf, "abcdef", 6) == 0);
    CHECK_OK(close(fd));

    /* O_DIRECTORY: only directories. */
    CHECK_OK(mkdir("d", 0755));
    fd = CHECK_OK(sys_open("d", O_RDONLY | O_DIRECTORY, 0));
    CHECK_OK(close(fd));
    CHECK_ERR(sys_open("a", O_RDONLY | O_DIRECTORY, 0), ENOTDIR);
    CHECK_ERR(sys_open("a/", O_RDONLY, 0), ENOTDIR);
    CHECK_ERR(sys_open("a/b", O_RDONLY, 0), ENOTDIR);
    /* A directory cannot be opened for writing or created. */
    CHECK_ERR(sys_open("d", O_WRONLY, 0), EISDIR);
    CHECK_ERR(sys_open("d", O_RDWR, 0), EISDIR);
    CHECK_ERR(sys_open("d", O_CREAT | O_RDONLY, 0644), EISDIR);
    CHECK_ERR(sys_open("d/", O_CREAT | O_RDWR, 0644), EISDIR);
    CHECK_ERR(sys_open("new/", O_CREAT | O_RDWR, 0644), EISDIR);
    CHECK_ERR(sys_open(".", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);

    /* O_NOFOLLOW: a symlink as the last component is ELOOP; earlier components still follow. */
    CHECK_OK(symlink("a", "link-a"));
    CHECK_OK(symlink("d", "link-d"));
    CHECK_ERR(sys_open("link-a", O_RDONLY | O_NOFOLLOW, 0), ELOOP);
    fd = CHECK_OK(sys_open("link-a", O_RDONLY, 0));
    CHECK_EQ(read(fd, buf, sizeof buf), 6);
    CHECK_OK(close(fd));
    fd = CHECK_OK(sys_open("link-d/", O_RDONLY | O_NOFOLLOW, 0));
    CHECK_OK(close(fd));
    CHECK_OK(close(CHECK_OK(sys_open("d/f", O_CREAT | O_WRONLY, 0644))));
    fd = CHECK_OK(sys_open("link-d/f", O_RDONLY | O_NOFOLLOW, 0));
    CHECK_OK(close(fd));

    /* ELOOP: a loop of symlinks. */
    CHECK_OK(symlink("loop2", "loop1"));
    CHECK_OK(symlink("loop1", "loop2"));
    CHECK_ERR(sys_open("loop1", O_RDONLY, 0), ELOOP);
    CHECK_ERR(sys_open("loop1/x", O_RDONLY, 0), ELOOP);

    /* O_CLOEXEC sets FD_CLOEXEC on the new fd only. */
    fd = CHECK_OK(sys_open("a", O_RDONLY | O_CLOEXEC, 0));
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(fd, F_GETFL) & O_CLOEXEC, 0);
    CHECK_OK(close(fd));
    fd = CHECK_OK(sys_open("a", O_RDONLY, 0));
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    CHECK_OK(close(fd));

    /* O_NONBLOCK is a status flag F_GETFL reports; a regular file reads as usual. */
    fd = CHECK_OK(sys_open("a", O_RDONLY | O_NONBLOCK, 0));
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK_EQ(read(fd, buf, 3), 3);
    CHECK_OK(close(fd));

    /* O_PATH: a location only: fstat and use as a dirfd work, I/O is EBADF. */
    fd = CHECK_OK(sys_open("a", O_PATH, 0));
    CHECK_ERR(read(fd, buf, 1), EBADF);
    CHECK_ERR(write(fd, "x", 1), EBADF);
    CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF);
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 6);
    CHECK_EQ(fcntl(fd, F_GETFL), O_PATH);
    CHECK_OK(close(fd));
    int dfd = CHECK_OK(sys_open("d", O_PATH | O_DIRECTORY, 0));
    fd = CHECK_OK(sys_openat(dfd, "f", O_RDONLY, 0));
    CHECK_OK(close(fd));
    CHECK_OK(close(dfd));
    /* O_PATH|O_NOFOLLOW opens the symlink itself. */
    fd = CHECK_OK(sys_open("link-a", O_PATH | O_NOFOLLOW, 0));
    CHECK_OK(fstat(fd, &st));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_EQ(st.st_size, 1);
    CHECK_OK(close(fd));
    /* O_PATH ignores O_CREAT and O_TRUNC. */
    CHECK_ERR(sys_open("absent", O_PATH | O_CREAT, 0644), ENOENT);
    fd = CHECK_OK(sys_open("a", O_PATH | O_TRUNC, 0));
    CHECK_OK(fstat(fd, &st));
    CHECK_EQ(st.st_size, 6);
    CHECK_OK(close(fd));

    /* O_TMPFILE: an unnamed file in a directory, readable and writable, gone at close. */
    int tmp = CHECK_OK(sys_open("d", O_TMPFILE | O_RDWR, 0600));
    CHECK_EQ(write(tmp, "temporary", 9), 9);
    CHECK_EQ(pread(tmp, buf, sizeof buf, 0), 9);
    CHECK(memcmp(buf, "temporary", 9) == 0);
    CHECK_OK(fstat(tmp, &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_nlink, 0);
    CHECK_EQ(st.st_size, 9);
    CHECK_EQ(fcntl(tmp, F_GETFL) & (O_TMPFILE | O_ACCMODE), O_TMPFILE | O_RDWR);
    CHECK_OK(ftruncate(tmp, 4));
    CHECK_OK(fstat(tmp, &st));
    CHECK_EQ(st.st_size, 4);
    /* linkat with AT_EMPTY_PATH gives it a name (the same inode), unless opened with O_EXCL. */
    struct stat named;
    ino_t ino = st.st_ino;
    CHECK_OK(linkat(tmp, "", AT_FDCWD, "d/published", AT_EMPTY_PATH));
    CHECK_OK(stat("d/published", &named));
    CHECK_EQ(named.st_ino, ino);
    CHECK_EQ(named.st_size, 4);
    CHECK_OK(fstat(tmp, &st));
    CHECK_EQ(st.st_nlink, 1);
    CHECK_EQ(write(tmp, "++", 2), 2);
    CHECK_OK(stat("d/published", &named));
    CHECK_EQ(named.st_size, 11); /* the offset was still 9 */
    CHECK_ERR(linkat(tmp, "", AT_FDCWD, "d/published", AT_EMPTY_PATH), EEXIST);
    CHECK_OK(close(tmp));
    CHECK_OK(unlink("d/published"));
    tmp = CHECK_OK(sys_open("d", O_TMPFILE | O_WRONLY | O_EXCL, 0600));
    CHECK_ERR(linkat(tmp, "", AT_FDCWD, "d/never", AT_EMPTY_PATH), ENOENT);
    CHECK_OK(close(tmp));
    CHECK_ERR(sys_open("d", O_TMPFILE | O_RDONLY, 0600), EINVAL);
    CHECK_ERR(sys_open("d", O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL);
    CHECK_ERR(sys_open("a", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
    CHECK_ERR(sys_open("missing-dir", O_TMPFILE | O_RDWR, 0600), ENOENT);
    CHECK_ERR(sys_open("/proc", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);

    /* openat: relative to a directory fd, AT_FDCWD, or ignored for an absolute path. */
    dfd = CHECK_OK(sys_open("d", O_RDONLY | O_DIRECTORY, 0));
    fd = CHECK_OK(sys_openat(dfd, "g", O_CREAT | O_RDWR | O_EXCL, 0644));
    CHECK_OK(close(fd));
    CHECK_OK(access("d/g", F_OK));
    fd = CHECK_OK(sys_openat(AT_FDCWD, "d/g", O_RDONLY, 0));
    CHECK_OK(close(fd));
    int afd = CHECK_OK(sys_open("a", O_RDONLY, 0));
    CHECK_ERR(sys_openat(afd, "g", O_RDONLY, 0), ENOTDIR);
    CHECK_ERR(sys_openat(9999, "g", O_RDONLY, 0), EBADF);
    CHECK_ERR(sys_openat(-5, "g", O_RDONLY, 0), EBADF);
    fd = CHECK_OK(sys_openat(9999, "/", O_RDONLY | O_DIRECTORY, 0));
    CHECK_OK(close(fd));
    CHECK_OK(close(afd));
    CHECK_OK(close(dfd));

    /* Bad pointers, empty and over-long paths. */
    CHECK_ERR(sys_open((const char *)1, O_RDONLY, 0), EFAULT);
    CHECK_ERR(sys_openat(AT_FDCWD, NULL, O_RDONLY, 0), EFAULT);
    CHECK_ERR(sys_open("", O_RDONLY, 0), ENOENT);
    static char longname[300], longpath[5000];
    memset(longname, 'n', sizeof longname - 1);
    CHECK_ERR(sys_open(longname, O_RDONLY, 0), ENAMETOOLONG);
    CHECK_ERR(sys_open(longname, O_CREAT | O_RDWR, 0644), ENAMETOOLONG);
    memset(longpath, 'p', sizeof longpath - 1);
    for (int i = 100; i < (int)sizeof longpath - 1; i += 100) longpath[i] = '/';
    CHECK_ERR(sys_open(longpath, O_RDONLY, 0), ENAMETOOLONG);

    /* The lowest free fd is used. */
    int lowest = CHECK_OK(sys_open("a", O_RDONLY, 0));
    int next = CHECK_OK(sys_open("a", O_RDONLY, 0));
    CHECK_EQ(next, lowest + 1);
    CHECK_OK(close(lowest));
    CHECK_EQ(sys_open("a", O_RDONLY, 0), lowest);
    CHECK_OK(close(lowest));
    CHECK_OK(close(next));

    /* Clean up. */
    const char *files[] = {"a", "nowhere", "dangling", "link-a", "link-d", "loop1", "loop2", "d/f", "d/g"};
    for (unsigned i = 0; i < sizeof files / sizeof *files; i++) CHECK_OK(unlink(files[i]));
    CHECK_OK(rmdir("d"));
    return check_done();
}
