/* sys-links: symlink, symlinkat, readlink, readlinkat (truncation, EINVAL on a non-link) and
 * hard links with link and linkat (shared inode and data, link counts, AT_SYMLINK_FOLLOW), with
 * the error returns (EEXIST, ENOENT, ENOTDIR, EPERM, EINVAL, EFAULT, EBADF). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

static void put(const char *path, const char *text) {
    int fd = CHECK_OK(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644));
    CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
    CHECK_OK(close(fd));
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct stat st, st2;
    char buf[64];
    CHECK_OK(mkdir("d", 0755));
    put("d/target", "target text");

    /* symlink stores any text; relative targets resolve from the link's directory. */
    CHECK_OK(symlink("target", "d/rel"));
    CHECK_OK(symlink("d/target", "top"));
    CHECK_OK(symlink("does/not/exist", "dangling"));
    CHECK_OK(stat("d/rel", &st));
    CHECK_EQ(st.st_size, 11);
    CHECK_OK(stat("top", &st2));
    CHECK_EQ(st2.st_ino, st.st_ino);
    CHECK_ERR(symlink("x", "d/rel"), EEXIST);
    CHECK_ERR(symlink("x", "d"), EEXIST);
    CHECK_ERR(symlink("x", "dangling"), EEXIST);
    CHECK_ERR(symlink("x", "none/link"), ENOENT);
    CHECK_ERR(symlink("x", "d/target/link"), ENOTDIR);
    CHECK_ERR(symlink("", "empty-target"), ENOENT);
    CHECK_ERR(symlink("x", ""), ENOENT);
    CHECK_ERR(syscall(SYS_symlink, (void *)1, "bad"), EFAULT);
    CHECK_ERR(syscall(SYS_symlink, "x", (void *)1), EFAULT);
    /* symlinkat: relative to a directory fd. */
    int dfd = CHECK_OK(open("d", O_RDONLY | O_DIRECTORY));
    CHECK_OK(symlinkat("target", dfd, "at-link"));
    CHECK_OK(stat("d/at-link", &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_ERR(symlinkat("target", 9999, "x"), EBADF);
    int ffd = CHECK_OK(open("d/target", O_RDONLY));
    CHECK_ERR(symlinkat("target", ffd, "x"), ENOTDIR);

    /* readlink returns the target without a NUL, truncated to the buffer. */
    memset(buf, '#', sizeof buf);
    CHECK_EQ(readlink("dangling", buf, sizeof buf), 14);
    CHECK(memcmp(buf, "does/not/exist#", 15) == 0);
    CHECK_EQ(readlink("dangling", buf, 4), 4);
    CHECK(memcmp(buf, "does", 4) == 0);
    CHECK_ERR(syscall(SYS_readlink, "dangling", buf, 0), EINVAL);
    CHECK_ERR(syscall(SYS_readlink, "dangling", buf, -1), EINVAL);
    CHECK_ERR(readlink("d/target", buf, sizeof buf), EINVAL);
    CHECK_ERR(readlink("d", buf, sizeof buf), EINVAL);
    CHECK_ERR(readlink("missing", buf, sizeof buf), ENOENT);
    CHECK_ERR(readlink("d/target/x", buf, sizeof buf), ENOTDIR);
    CHECK_ERR(syscall(SYS_readlink, "dangling", (void *)1, 10), EFAULT);
    CHECK_ERR(syscall(SYS_readlink, (void *)1, buf, 10), EFAULT);
    /* A link in the middle of a path is followed; the last one is what readlink reads. */
    CHECK_OK(symlink("d", "dirlink"));
    CHECK_EQ(readlink("dirlink/rel", buf, sizeof buf), 6);
    CHECK(memcmp(buf, "target", 6) == 0);
    /* readlinkat: relative to a directory fd; an empty path reads the O_PATH fd's own link. */
    CHECK_EQ(readlinkat(dfd, "rel", buf, sizeof buf), 6);
    CHECK_ERR(readlinkat(9999, "rel", buf, sizeof buf), EBADF);
    CHECK_ERR(readlinkat(ffd, "rel", buf, sizeof buf), ENOTDIR);
    int lfd = CHECK_OK(open("d/rel", O_PATH | O_NOFOLLOW));
    CHECK_EQ(readlinkat(lfd, "", buf, sizeof buf), 6);
    CHECK_OK(close(lfd));
    CHECK_ERR(readlinkat(ffd, "", buf, sizeof buf), ENOENT);

    /* link: a second name for the same file: one inode, shared data, two links. */
    CHECK_OK(link("d/target", "hard"));
    CHECK_OK(stat("hard", &st));
    CHECK_OK(stat("d/target", &st2));
    CHECK_EQ(st.st_ino, st2.st_ino);
    CHECK_EQ(st.st_nlink, 2);
    CHECK_EQ(st2.st_nlink, 2);
    int hfd = CHECK_OK(open("hard", O_WRONLY | O_APPEND));
    CHECK_EQ(write(hfd, "+", 1), 1);
    CHECK_OK(close(hfd));
    CHECK_OK(stat("d/target", &st2));
    CHECK_EQ(st2.st_size, 12);
    /* Removing one name leaves the other, even for a file open by the removed name. */
    int open_fd = CHECK_OK(open("d/target", O_RDWR));
    CHECK_OK(unlink("d/target"));
    CHECK_OK(stat("hard", &st));
    CHECK_EQ(st.st_nlink, 1);
    CHECK_EQ(pwrite(open_fd, "T", 1, 0), 1);
    int r = CHECK_OK(open("hard", O_RDONLY));
    CHECK_EQ(read(r, buf, sizeof buf), 12);
    CHECK(memcmp(buf, "Target text+", 12) == 0);
    CHECK_OK(close(r));
    CHECK_OK(close(open_fd));
    CHECK_OK(link("hard", "d/target"));
    /* link does not follow a final symlink: it links the symlink itself. */
    CHECK_OK(link("top", "top2"));
    CHECK_OK(lstat("top2", &st));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_EQ(st.st_nlink, 2);
    /* linkat with AT_SYMLINK_FOLLOW links the file the symlink names. */
    CHECK_OK(linkat(AT_FDCWD, "top", dfd, "via-follow", AT_SYMLINK_FOLLOW));
    CHECK_OK(lstat("d/via-follow", &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_nlink, 3);
    CHECK_OK(linkat(dfd, "target", AT_FDCWD, "via-at", 0));
    CHECK_OK(stat("via-at", &st));
    CHECK_EQ(st.st_nlink, 4);
    /* AT_EMPTY_PATH links the file an fd refers to. */
    int tfd = CHECK_OK(open("d/target", O_RDONLY));
    CHECK_OK(linkat(tfd, "", AT_FDCWD, "by-fd", AT_EMPTY_PATH));
    CHECK_OK(stat("by-fd", &st));
    CHECK_EQ(st.st_nlink, 5);
    CHECK_OK(unlink("by-fd"));
    CHECK_ERR(linkat(tfd, "", AT_FDCWD, "by-fd", 0), ENOENT);
    CHECK_OK(close(tfd));
    /* A file whose names are all gone cannot get one back, even if its old name is reused. */
    int gone = CHECK_OK(open("gone", O_CREAT | O_RDWR, 0644));
    CHECK_OK(unlink("gone"));
    CHECK_OK(close(CHECK_OK(open("gone", O_CREAT | O_RDWR, 0644))));
    CHECK_ERR(linkat(gone, "", AT_FDCWD, "revived", AT_EMPTY_PATH), ENOENT);
    CHECK_OK(close(gone));
    CHECK_OK(unlink("gone"));
    /* Errors. */
    CHECK_ERR(link("d", "dir-link"), EPERM);
    CHECK_ERR(link("missing", "x"), ENOENT);
    CHECK_ERR(link("hard", "d/target"), EEXIST);
    CHECK_ERR(link("hard", "dangling"), EEXIST);
    CHECK_ERR(link("hard", "none/x"), ENOENT);
    CHECK_ERR(link("hard", "newname/"), ENOENT);
    CHECK_ERR(link("hard/", "x"), ENOTDIR);
    /* A dangling symlink can be linked (it is not followed), but not through AT_SYMLINK_FOLLOW. */
    CHECK_OK(link("dangling", "x"));
    CHECK_OK(lstat("x", &st));
    CHECK(S_ISLNK(st.st_mode));
    CHECK_OK(unlink("x"));
    CHECK_ERR(linkat(AT_FDCWD, "dangling", AT_FDCWD, "x", AT_SYMLINK_FOLLOW), ENOENT);
    CHECK_ERR(linkat(AT_FDCWD, "hard", AT_FDCWD, "x", 0x100), EINVAL);
    CHECK_ERR(linkat(9999, "hard", AT_FDCWD, "x", 0), EBADF);
    CHECK_ERR(linkat(ffd, "hard", AT_FDCWD, "x", 0), ENOTDIR);
    CHECK_ERR(syscall(SYS_link, (void *)1, "x"), EFAULT);
    CHECK_ERR(syscall(SYS_link, "hard", (void *)1), EFAULT);

    /* Clean up: the data stays until the last name goes. */
    CHECK_OK(unlink("hard"));
    CHECK_OK(unlink("via-at"));
    CHECK_OK(unlink("d/via-follow"));
    CHECK_OK(stat("d/target", &st));
    CHECK_EQ(st.st_nlink, 1);
    CHECK_EQ(st.st_size, 12);
    CHECK_OK(close(ffd));
    CHECK_OK(close(dfd));
    const char *names[] = {"d/target", "d/rel", "d/at-link", "top", "top2", "dangling", "dirlink"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) CHECK_OK(unlink(names[i]));
    CHECK_OK(rmdir("d"));
    return check_done();
}
