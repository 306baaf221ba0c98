/* sys-paths: unlink, unlinkat (AT_REMOVEDIR), rename, renameat, renameat2 (RENAME_NOREPLACE,
 * RENAME_EXCHANGE) and their rules for files, directories and open files, with the error
 * returns (ENOENT, EISDIR, ENOTDIR, EEXIST, ENOTEMPTY, EINVAL, EBUSY, EFAULT, EBADF). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static void put(const char *path, const char *text) {
    int fd = CHECK_OK(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644));
    CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
    CHECK_OK(close(fd));
}

/* The content of a file, or "(missing)". */
static const char *get(const char *path) {
    static char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return "(missing)";
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    return buf;
}

static long renameat2_(int od, const char *from, int nd, const char *to, unsigned flags) {
    return syscall(SYS_renameat2, od, from, nd, to, flags);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct stat st;

    /* unlink removes names; an open file stays readable. */
    put("u", "unlinked but open");
    int fd = CHECK_OK(open("u", O_RDWR));
    CHECK_OK(unlink("u"));
    CHECK_ERR(stat("u", &st), ENOENT);
    char buf[64] = {0};
    CHECK_EQ(read(fd, buf, sizeof buf), 17);
    CHECK(strcmp(buf, "unlinked but open") == 0);
    CHECK_EQ(pwrite(fd, "U", 1, 0), 1);
    CHECK_EQ(pread(fd, buf, 1, 0), 1);
    CHECK_EQ(buf[0], 'U');
    CHECK_OK(close(fd));
    CHECK_ERR(unlink("u"), ENOENT);
    CHECK_OK(mkdir("d", 0755));
    CHECK_ERR(unlink("d"), EISDIR);
    CHECK_ERR(unlink("d/"), EISDIR);
    put("f", "f");
    CHECK_ERR(unlink("f/"), ENOTDIR);
    CHECK_ERR(unlink("f/x"), ENOTDIR);
    CHECK_ERR(unlink(""), ENOENT);
    CHECK_ERR(syscall(SYS_unlink, (void *)1), EFAULT);
    /* unlink removes a symlink, not its target. */
    CHECK_OK(symlink("f", "l"));
    CHECK_OK(unlink("l"));
    CHECK_OK(stat("f", &st));

    /* unlinkat: a file, or with AT_REMOVEDIR a directory; other flags are EINVAL. */
    int dfd = CHECK_OK(open("d", O_RDONLY | O_DIRECTORY));
    put("d/g", "g");
    CHECK_OK(mkdir("d/e", 0755));
    CHECK_ERR(unlinkat(dfd, "e", 0), EISDIR);
    CHECK_ERR(unlinkat(dfd, "g", AT_REMOVEDIR), ENOTDIR);
    CHECK_ERR(unlinkat(dfd, "g", 0x100), EINVAL);
    CHECK_ERR(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), ENOTEMPTY);
    CHECK_OK(unlinkat(dfd, "g", 0));
    CHECK_OK(unlinkat(dfd, "e", AT_REMOVEDIR));
    CHECK_ERR(unlinkat(dfd, "e", AT_REMOVEDIR), ENOENT);
    CHECK_ERR(unlinkat(9999, "g", 0), EBADF);
    int ffd = CHECK_OK(open("f", O_RDONLY));
    CHECK_ERR(unlinkat(ffd, "g", 0), ENOTDIR);
    CHECK_OK(close(ffd));

    /* rename a file: the old name goes, the new one has the content and inode. */
    struct stat before;
    CHECK_OK(stat("f", &before));
    CHECK_OK(rename("f", "f2"));
    CHECK_ERR(stat("f", &st), ENOENT);
    CHECK_OK(stat("f2", &st));
    CHECK_EQ(st.st_ino, before.st_ino);
    /* Over an existing file: replaced, even while the replaced one is open. */
    put("victim", "old content");
    int vfd = CHECK_OK(open("victim", O_RDONLY));
    CHECK_OK(rename("f2", "victim"));
    CHECK(strcmp(get("victim"), "f") == 0);
    CHECK_EQ(read(vfd, buf, sizeof buf), 11);
    CHECK_OK(close(vfd));
    CHECK_ERR(rename("f2", "x"), ENOENT);
    CHECK_ERR(rename("missing", "x"), ENOENT);
    /* Onto itself (or another name of the same file) does nothing. */
    CHECK_OK(rename("victim", "victim"));
    CHECK(strcmp(get("victim"), "f") == 0);
    /* Into another directory, and with renameat relative to directory fds. */
    CHECK_OK(rename("victim", "d/moved"));
    CHECK(strcmp(get("d/moved"), "f") == 0);
    int top = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_OK(renameat(dfd, "moved", top, "back"));
    CHECK(strcmp(get("back"), "f") == 0);
    CHECK_ERR(renameat(9999, "back", top, "x"), EBADF);
    CHECK_ERR(renameat(top, "back", 9999, "x"), EBADF);
    CHECK_ERR(syscall(SYS_rename, (void *)1, "x"), EFAULT);
    CHECK_ERR(syscall(SYS_rename, "back", (void *)1), EFAULT);
    CHECK_ERR(rename("back", "nodir/x"), ENOENT);
    CHECK_ERR(rename("back", "back/x"), ENOTDIR);
    CHECK_ERR(rename("back/", "x"), ENOTDIR);

    /* Directory rules. */
    CHECK_OK(mkdir("a", 0755));
    CHECK_OK(mkdir("a/inner", 0755));
    put("a/inner/file", "deep");
    CHECK_OK(mkdir("empty", 0755));
    CHECK_OK(mkdir("full", 0755));
    put("full/x", "x");
    CHECK_ERR(rename("a", "back"), ENOTDIR);
    CHECK_ERR(rename("back", "empty"), EISDIR);
    CHECK_ERR(rename("a", "full"), ENOTEMPTY);
    CHECK_ERR(rename("a", "a/inner/sub"), EINVAL);
    CHECK_ERR(rename("a", "a/inner"), EINVAL);
    CHECK_ERR(rename(".", "x"), EBUSY);
    CHECK_ERR(rename("a/inner/..", "x"), EBUSY);
    CHECK_ERR(rename("a", "."), EBUSY);
    /* Over an empty directory: replaced; the moved tree comes along; paths of open fds follow. */
    int inner = CHECK_OK(open("a/inner/file", O_RDONLY));
    CHECK_OK(rename("a", "empty"));
    CHECK_ERR(stat("a", &st), ENOENT);
    CHECK(strcmp(get("empty/inner/file"), "deep") == 0);
    CHECK_EQ(read(inner, buf, 4), 4);
    CHECK_OK(close(inner));
    CHECK_OK(rename("empty/", "dir2/"));
    CHECK_OK(stat("dir2/inner", &st));

    /* renameat2: RENAME_NOREPLACE refuses an existing target. */
    put("n1", "one");
    put("n2", "two");
    CHECK_ERR(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_NOREPLACE), EEXIST);
    CHECK_OK(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "n3", RENAME_NOREPLACE));
    CHECK(strcmp(get("n3"), "one") == 0);
    CHECK_OK(renameat2_(AT_FDCWD, "n3", AT_FDCWD, "n1", 0));
    /* RENAME_EXCHANGE swaps two names atomically; both must exist. */
    CHECK_OK(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_EXCHANGE));
    CHECK(strcmp(get("n1"), "two") == 0);
    CHECK(strcmp(get("n2"), "one") == 0);
    CHECK_ERR(renameat2_(top, "n1", dfd, "..", 0), EBUSY);
    CHECK_ERR(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "missing", RENAME_EXCHANGE), ENOENT);
    CHECK_ERR(renameat2_(AT_FDCWD, "missing", AT_FDCWD, "n1", RENAME_EXCHANGE), ENOENT);
    /* A file and a directory may be exchanged. */
    CHECK_OK(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "dir2", RENAME_EXCHANGE));
    CHECK(strcmp(get("dir2"), "two") == 0);
    CHECK_OK(stat("n1/inner/file", &st));
    CHECK_OK(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "dir2", RENAME_EXCHANGE));
    CHECK_ERR(renameat2_(AT_FDCWD, "dir2", AT_FDCWD, "dir2/inner", RENAME_EXCHANGE), EINVAL);
    CHECK_ERR(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
    CHECK_ERR(renameat2_(AT_FDCWD, "n1", AT_FDCWD, "n2", 0x100), EINVAL);

    /* Clean up. */
    CHECK_OK(close(dfd));
    CHECK_OK(close(top));
    CHECK_OK(unlink("n1"));
    CHECK_OK(unlink("n2"));
    CHECK_OK(unlink("back"));
    CHECK_OK(unlink("dir2/inner/file"));
    CHECK_OK(rmdir("dir2/inner"));
    CHECK_OK(rmdir("dir2"));
    CHECK_OK(unlink("full/x"));
    CHECK_OK(rmdir("full"));
    CHECK_OK(rmdir("d"));
    return check_done();
}
