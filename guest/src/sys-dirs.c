/* sys-dirs: mkdir, mkdirat, rmdir and reading directories with getdents64 and getdents: every
 * entry once with its type, "." and "..", small buffers, rewinding, and the error returns
 * (EEXIST, ENOENT, ENOTDIR, ENOTEMPTY, EINVAL, EFAULT, EBADF). Entries are compared sorted by
 * name: the order a directory lists them in is the filesystem's own. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

struct dirent64_raw { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; };
struct dirent_raw { unsigned long ino; unsigned long off; unsigned short reclen; char name[]; };

/* The entries of an open directory as "name:type" sorted, read with buffers of `size` bytes. */
static int list(int fd, int size, int old, char out[][40], int max) {
    char buf[4096];
    int n = 0;
    for (;;) {
        long got = syscall(old ? SYS_getdents : SYS_getdents64, fd, buf, size);
        if (got <= 0) break;
        for (long at = 0; at < got;) {
            const char *name;
            int type;
            unsigned short reclen;
            if (old) {
                struct dirent_raw *d = (void *)(buf + at);
                name = d->name, reclen = d->reclen, type = buf[at + reclen - 1];
            } else {
                struct dirent64_raw *d = (void *)(buf + at);
                name = d->name, reclen = d->reclen, type = d->type;
            }
            if (n < max) snprintf(out[n++], 40, "%s:%d", name, type);
            at += reclen;
        }
    }
    qsort(out, n, 40, (int (*)(const void *, const void *))strcmp);
    return n;
}

static void print_list(const char *what, char entries[][40], int n) {
    printf("%s:", what);
    for (int i = 0; i < n; i++) printf(" %s", entries[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct stat st;
    char entries[32][40];

    /* mkdir and its errors. */
    CHECK_OK(mkdir("top", 0755));
    CHECK_ERR(mkdir("top", 0755), EEXIST);
    CHECK_OK(mkdir("top/sub1", 0755));
    CHECK_OK(mkdir("top/sub2/", 0755));
    CHECK_ERR(mkdir("top/none/x", 0755), ENOENT);
    CHECK_OK(close(CHECK_OK(open("top/file", O_CREAT | O_WRONLY, 0644))));
    CHECK_OK(symlink("sub1", "top/link"));
    CHECK_OK(symlink("nothing", "top/dangling"));
    CHECK_ERR(mkdir("top/file", 0755), EEXIST);
    CHECK_ERR(mkdir("top/link", 0755), EEXIST);
    CHECK_ERR(mkdir("top/dangling", 0755), EEXIST);
    CHECK_ERR(mkdir("top/file/x", 0755), ENOTDIR);
    CHECK_ERR(mkdir("", 0755), ENOENT);
    CHECK_ERR(mkdir(".", 0755), EEXIST);
    CHECK_ERR(syscall(SYS_mkdir, (void *)1, 0755), EFAULT);
    /* A directory's link count: its parent's entry, its ".", and each subdirectory's "..". */
    CHECK_OK(stat("top", &st));
    CHECK_EQ(st.st_nlink, 4);
    CHECK_OK(stat("top/sub1", &st));
    CHECK_EQ(st.st_nlink, 2);

    /* mkdirat: relative to a directory fd. */
    int top = CHECK_OK(open("top", O_RDONLY | O_DIRECTORY));
    CHECK_OK(mkdirat(top, "sub3", 0755));
    CHECK_OK(stat("top/sub3", &st));
    CHECK(S_ISDIR(st.st_mode));
    CHECK_ERR(mkdirat(top, "sub3", 0755), EEXIST);
    CHECK_ERR(mkdirat(9999, "x", 0755), EBADF);
    int file = CHECK_OK(open("top/file", O_RDONLY));
    CHECK_ERR(mkdirat(file, "x", 0755), ENOTDIR);
    CHECK_OK(mkdirat(AT_FDCWD, "top/sub3/deeper", 0755));

    /* getdents64 lists every entry once with its type, "." and ".." included. */
    int n = list(top, 4096, 0, entries, 32);
    CHECK_EQ(n, 8);
    print_list("getdents64", entries, n);
    CHECK_EQ(syscall(SYS_getdents64, top, entries, sizeof entries), 0);
    /* Rewinding lists again, with entries made since. */
    CHECK_OK(mkdir("top/sub4", 0755));
    CHECK_EQ(lseek(top, 0, SEEK_SET), 0);
    n = list(top, 4096, 0, entries, 32);
    CHECK_EQ(n, 9);
    print_list("after rewind", entries, n);
    CHECK_OK(rmdir("top/sub4"));
    /* One entry at a time: a buffer just big enough for one record. */
    CHECK_EQ(lseek(top, 0, SEEK_SET), 0);
    n = list(top, 32, 0, entries, 32);
    CHECK_EQ(n, 8);
    print_list("32-byte buffer", entries, n);
    /* The old getdents has the type in the last byte of each record. */
    CHECK_EQ(lseek(top, 0, SEEK_SET), 0);
    n = list(top, 4096, 1, entries, 32);
    CHECK_EQ(n, 8);
    print_list("getdents", entries, n);

    /* Errors: a buffer too small for one entry, a file, a bad fd or buffer. */
    char small[64];
    CHECK_EQ(lseek(top, 0, SEEK_SET), 0);
    CHECK_ERR(syscall(SYS_getdents64, top, small, 1), EINVAL);
    CHECK_ERR(syscall(SYS_getdents64, top, small, 0), EINVAL);
    CHECK_ERR(syscall(SYS_getdents, top, small, 8), EINVAL);
    CHECK_ERR(syscall(SYS_getdents64, top, (void *)1, 4096), EFAULT);
    CHECK_ERR(syscall(SYS_getdents64, file, small, sizeof small), ENOTDIR);
    CHECK_ERR(syscall(SYS_getdents, file, small, sizeof small), ENOTDIR);
    CHECK_ERR(syscall(SYS_getdents64, 9999, small, sizeof small), EBADF);
    /* After an error the listing starts from the beginning still. */
    n = list(top, 4096, 0, entries, 32);
    CHECK_EQ(n, 8);
    int opath = CHECK_OK(open("top", O_PATH));
    CHECK_ERR(syscall(SYS_getdents64, opath, small, sizeof small), EBADF);
    CHECK_OK(close(opath));

    /* telldir/seekdir (lseek to a d_off) come back to the same place in the listing. */
    DIR *dir = opendir("top");
    CHECK(dir != NULL);
    CHECK(readdir(dir) != NULL);
    CHECK(readdir(dir) != NULL);
    long mark = telldir(dir);
    char after_mark[3][256];
    for (int i = 0; i < 3; i++) {
        struct dirent *d = readdir(dir);
        CHECK(d != NULL);
        snprintf(after_mark[i], sizeof after_mark[i], "%s", d ? d->d_name : "");
    }
    while (readdir(dir) != NULL) {
    }
    seekdir(dir, mark);
    for (int i = 0; i < 3; i++) {
        struct dirent *d = readdir(dir);
        CHECK(d != NULL && strcmp(d->d_name, after_mark[i]) == 0);
    }
    rewinddir(dir);
    int again = 0;
    while (readdir(dir) != NULL) again++;
    CHECK_EQ(again, 8);
    CHECK_OK(closedir(dir));

    /* An empty directory lists "." and ".." only. */
    int sub = CHECK_OK(open("top/sub1", O_RDONLY | O_DIRECTORY));
    n = list(sub, 4096, 0, entries, 32);
    print_list("empty", entries, n);
    CHECK_OK(close(sub));

    /* rmdir and its errors. */
    CHECK_ERR(rmdir("top"), ENOTEMPTY);
    CHECK_ERR(rmdir("top/sub3"), ENOTEMPTY);
    CHECK_ERR(rmdir("top/file"), ENOTDIR);
    CHECK_ERR(rmdir("top/link"), ENOTDIR);
    CHECK_ERR(rmdir("top/missing"), ENOENT);
    CHECK_ERR(rmdir("top/sub1/."), EINVAL);
    CHECK_ERR(rmdir("top/sub1/.."), ENOTEMPTY);
    CHECK_ERR(rmdir(""), ENOENT);
    CHECK_ERR(syscall(SYS_rmdir, (void *)1), EFAULT);
    CHECK_OK(rmdir("top/sub3/deeper/"));
    CHECK_OK(rmdir("top/sub3"));
    CHECK_OK(rmdir("top/sub2"));
    CHECK_OK(rmdir("top/sub1"));
    CHECK_ERR(stat("top/sub1", &st), ENOENT);
    CHECK_OK(stat("top", &st));
    CHECK_EQ(st.st_nlink, 2);
    CHECK_OK(unlink("top/file"));
    CHECK_OK(unlink("top/link"));
    CHECK_OK(unlink("top/dangling"));
    /* A removed directory that is still open cannot be listed or have entries made in it. */
    CHECK_OK(rmdir("top"));
    CHECK_EQ(lseek(top, 0, SEEK_SET), 0);
    CHECK_ERR(syscall(SYS_getdents64, top, entries, sizeof entries), ENOENT);
    CHECK_ERR(openat(top, "x", O_CREAT | O_RDWR, 0644), ENOENT);
    /* …even when a new directory takes its name. */
    CHECK_OK(mkdir("top", 0755));
    CHECK_ERR(openat(top, "x", O_CREAT | O_RDWR, 0644), ENOENT);
    CHECK_ERR(mkdirat(top, "y", 0755), ENOENT);
    CHECK_ERR(access("top/x", F_OK), ENOENT);
    CHECK_OK(rmdir("top"));
    CHECK_OK(close(top));
    CHECK_OK(close(file));
    return check_done();
}
