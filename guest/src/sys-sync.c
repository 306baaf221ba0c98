/* sys-sync: fsync, fdatasync, syncfs and sync, and their error returns (EBADF, EINVAL for a pipe
 * or a device). It leaves three files in the scratch directory for the kernel's image test:
 * sync-fsync and sync-fdatasync are synced by those calls, sync-late is written after the last
 * sync (so only the end of the run makes it durable). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

static int make(const char *path, const char *text) {
    int fd = CHECK_OK(open(path, O_CREAT | O_RDWR | O_TRUNC, 0644));
    CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
    return fd;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    int p[2];
    CHECK_OK(pipe(p));
    int dfd = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    int null = CHECK_OK(open("/dev/null", O_WRONLY));

    /* sync and syncfs always succeed (syncfs needs an open fd of any kind). */
    sync();
    CHECK_OK(syscall(SYS_sync));
    CHECK_OK(syncfs(dfd));
    CHECK_OK(syncfs(p[0]));
    CHECK_ERR(syncfs(9999), EBADF);
    CHECK_ERR(syncfs(-1), EBADF);

    /* fsync/fdatasync: files and directories; not pipes or devices; not closed fds. */
    int ro = make("sync-ro", "read-only is enough");
    CHECK_OK(close(ro));
    ro = CHECK_OK(open("sync-ro", O_RDONLY));
    CHECK_OK(fsync(ro));
    CHECK_OK(fdatasync(ro));
    CHECK_OK(fsync(dfd));
    CHECK_OK(fdatasync(dfd));
    CHECK_ERR(fsync(p[1]), EINVAL);
    CHECK_ERR(fdatasync(p[0]), EINVAL);
    CHECK_ERR(fsync(null), EINVAL);
    CHECK_ERR(fsync(9999), EBADF);
    CHECK_ERR(fdatasync(-1), EBADF);
    int opath = CHECK_OK(open("sync-ro", O_PATH));
    CHECK_ERR(fsync(opath), EBADF);
    CHECK_OK(close(opath));
    CHECK_OK(close(ro));
    CHECK_OK(unlink("sync-ro"));

    /* Files the image test looks for. */
    int a = make("sync-fsync", "made durable by fsync\n");
    CHECK_OK(fsync(a));
    CHECK_OK(close(a));
    int b = make("sync-fdatasync", "made durable by fdatasync\n");
    CHECK_OK(fdatasync(b));
    CHECK_OK(close(b));
    int c = make("sync-late", "written after the last sync\n");
    CHECK_OK(close(c));

    CHECK_OK(close(null));
    CHECK_OK(close(dfd));
    CHECK_OK(close(p[0]));
    CHECK_OK(close(p[1]));
    return check_done();
}
