/* sys-cwd: chdir, fchdir and getcwd (compared with the starting directory, which differs
 * between runs: only relative facts are checked), ERANGE for small buffers, and the errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

static char base[4096];
static long base_len;

/* getcwd as the kernel answers it: the length with the NUL. */
static long cwd(char *buf, unsigned long size) { return syscall(SYS_getcwd, buf, size); }

/* True when the working directory is the base followed by `suffix`. */
static int at(const char *suffix) {
    char buf[4096];
    if (cwd(buf, sizeof buf) < 0) return 0;
    return strncmp(buf, base, base_len) == 0 && strcmp(buf + base_len, suffix) == 0;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    base_len = CHECK_OK(cwd(base, sizeof base)) - 1;
    CHECK_EQ(base_len, (long)strlen(base));
    CHECK(base[0] == '/');

    /* getcwd needs room for the NUL; a bad buffer is EFAULT. */
    char buf[4096];
    CHECK_EQ(cwd(buf, base_len + 1), base_len + 1);
    CHECK_ERR(cwd(buf, base_len), ERANGE);
    CHECK_ERR(cwd(buf, 1), ERANGE);
    CHECK_ERR(cwd(buf, 0), ERANGE);
    CHECK_ERR(cwd((char *)1, sizeof buf), EFAULT);

    CHECK_OK(mkdir("sub", 0755));
    CHECK_OK(mkdir("sub/deeper", 0755));
    CHECK_OK(symlink("sub/deeper", "shortcut"));
    int fd = CHECK_OK(open("file", O_CREAT | O_WRONLY, 0644));
    CHECK_OK(close(fd));

    /* chdir: relative paths resolve from the new directory; symlinks are resolved away. */
    CHECK_OK(chdir("sub"));
    CHECK(at("/sub"));
    CHECK_OK(access("deeper", F_OK));
    CHECK_OK(chdir("deeper"));
    CHECK(at("/sub/deeper"));
    CHECK_OK(chdir("../.."));
    CHECK(at(""));
    CHECK_OK(chdir("shortcut"));
    CHECK(at("/sub/deeper"));
    CHECK_OK(chdir(base));
    CHECK(at(""));
    CHECK_OK(chdir("sub/./deeper/../"));
    CHECK(at("/sub"));
    CHECK_OK(chdir(".."));
    CHECK_ERR(chdir("file"), ENOTDIR);
    CHECK_ERR(chdir("missing"), ENOENT);
    CHECK_ERR(chdir(""), ENOENT);
    CHECK_ERR(chdir("file/x"), ENOTDIR);
    CHECK_ERR(syscall(SYS_chdir, (void *)1), EFAULT);
    CHECK(at(""));

    /* fchdir: a directory fd (O_PATH too); not a file, not a closed fd. */
    int dfd = CHECK_OK(open("sub/deeper", O_RDONLY | O_DIRECTORY));
    int pfd = CHECK_OK(open("sub", O_PATH | O_DIRECTORY));
    int ffd = CHECK_OK(open("file", O_RDONLY));
    CHECK_OK(fchdir(dfd));
    CHECK(at("/sub/deeper"));
    CHECK_OK(fchdir(pfd));
    CHECK(at("/sub"));
    CHECK_ERR(fchdir(ffd), ENOTDIR);
    CHECK_ERR(fchdir(9999), EBADF);
    CHECK_ERR(fchdir(-1), EBADF);
    CHECK(at("/sub"));
    /* A directory renamed while it is the working directory: getcwd follows. */
    CHECK_OK(rename("../sub", "../moved"));
    CHECK(at("/moved"));
    CHECK_OK(rename("../moved", "../sub"));
    CHECK(at("/sub"));
    /* A removed working directory: getcwd is ENOENT, and ".." still leads nowhere new. */
    CHECK_OK(mkdir("gone", 0755));
    CHECK_OK(chdir("gone"));
    CHECK_OK(rmdir("../gone"));
    CHECK_ERR(cwd(buf, sizeof buf), ENOENT);
    CHECK_ERR(open("new-file", O_CREAT | O_RDWR, 0644), ENOENT);
    /* Even when a new directory takes its name; ".." still leads to the old parent. */
    CHECK_OK(mkdir("../gone", 0755));
    CHECK_ERR(open("new-file", O_CREAT | O_RDWR, 0644), ENOENT);
    CHECK_ERR(cwd(buf, sizeof buf), ENOENT);
    CHECK_OK(access("../gone", F_OK));
    CHECK_OK(chdir(".."));
    CHECK(at("/sub"));
    CHECK_ERR(access("gone/new-file", F_OK), ENOENT);
    CHECK_OK(rmdir("gone"));
    /* fchdir into a directory removed while open: allowed, and as after its rmdir. */
    CHECK_OK(mkdir("doomed", 0755));
    int doomed = CHECK_OK(open("doomed", O_RDONLY | O_DIRECTORY));
    CHECK_OK(rmdir("doomed"));
    CHECK_OK(fchdir(doomed));
    CHECK_ERR(cwd(buf, sizeof buf), ENOENT);
    CHECK_ERR(open("x", O_CREAT | O_RDWR, 0644), ENOENT);
    CHECK_OK(chdir(".."));
    CHECK(at("/sub"));
    CHECK_OK(close(doomed));
    CHECK_OK(chdir(base));
    CHECK(at(""));

    CHECK_OK(close(dfd));
    CHECK_OK(close(pfd));
    CHECK_OK(close(ffd));
    CHECK_OK(unlink("file"));
    CHECK_OK(unlink("shortcut"));
    CHECK_OK(rmdir("sub/deeper"));
    CHECK_OK(rmdir("sub"));
    return check_done();
}
