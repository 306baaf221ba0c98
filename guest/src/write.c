/* write: creates, writes, rereads, renames and unlinks files under a directory (default /tmp).
 * Every step prints "ok <step>" or "FAIL <step>: <reason>"; the exit code is the number of
 * failed steps (0 when all pass). Works in a private subdirectory it removes at the end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

static void check(int ok, const char *step)
{
    if (ok)
        printf("ok %s\n", step);
    else {
        printf("FAIL %s: %s\n", step, strerror(errno));
        failed++;
    }
}

static void pattern(unsigned char *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (unsigned char)((i * 31 + seed) ^ (i >> 8));
}

int main(int argc, char **argv)
{
    const char *base = argc > 1 ? argv[1] : "/tmp";
    char dir[4096], a[4200], b[4200];
    snprintf(dir, sizeof dir, "%s/nanots-write-%d", base, (int)getpid());
    snprintf(a, sizeof a, "%s/first.dat", dir);
    snprintf(b, sizeof b, "%s/second.dat", dir);

    check(mkdir(dir, 0755) == 0, "mkdir");

    enum { SIZE = 3 * 65536 + 123 };
    static unsigned char data[SIZE], back[SIZE];
    pattern(data, SIZE, 7);

    int fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
    check(fd >= 0, "create");
    size_t done = 0;
    while (fd >= 0 && done < SIZE) {
        size_t chunk = SIZE - done < 4000 ? SIZE - done : 4000;
        ssize_t n = write(fd, data + done, chunk);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    check(done == SIZE, "write 196731 bytes in 4000-byte chunks");
    check(fd >= 0 && fsync(fd) == 0, "fsync");
    check(fd >= 0 && close(fd) == 0, "close");

    struct stat st;
    check(stat(a, &st) == 0 && st.st_size == SIZE && S_ISREG(st.st_mode), "stat size");

    fd = open(a, O_RDONLY);
    done = 0;
    ssize_t n;
    while (fd >= 0 && (n = read(fd, back + done, SIZE - done)) > 0)
        done += (size_t)n;
    check(done == SIZE && memcmp(data, back, SIZE) == 0, "reread matches");
    char one;
    check(fd >= 0 && pread(fd, &one, 1, 70000) == 1 && (unsigned char)one == data[70000],
          "pread at 70000");
    check(fd >= 0 && read(fd, &one, 1) == 0, "read at end gives 0");
    close(fd);

    fd = open(a, O_RDWR);
    unsigned char patch[100];
    pattern(patch, sizeof patch, 99);
    check(fd >= 0 && pwrite(fd, patch, sizeof patch, 1000) == sizeof patch, "pwrite in the middle");
    check(fd >= 0 && lseek(fd, 0, SEEK_END) == SIZE, "lseek end");
    check(fd >= 0 && ftruncate(fd, 5000) == 0, "ftruncate to 5000");
    check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 5000, "fstat after truncate");
    memcpy(data + 1000, patch, sizeof patch);
    check(fd >= 0 && pread(fd, back, 5000, 0) == 5000 && memcmp(data, back, 5000) == 0,
          "content after pwrite and truncate");
    close(fd);

    fd = open(a, O_WRONLY | O_APPEND);
    check(fd >= 0 && write(fd, "tail", 4) == 4, "append");
    close(fd);
    check(stat(a, &st) == 0 && st.st_size == 5004, "size after append");

    check(rename(a, b) == 0, "rename");
    check(access(a, F_OK) != 0 && errno == ENOENT, "old name gone (ENOENT)");
    check(stat(b, &st) == 0 && st.st_size == 5004, "new name has the data");
    check(open(b, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST, "O_EXCL on existing (EEXIST)");
    check(unlink(b) == 0, "unlink");
    check(stat(b, &st) != 0 && errno == ENOENT, "unlinked name gone (ENOENT)");
    check(rmdir(dir) == 0, "rmdir");

    printf("%s (%d failed)\n", failed ? "FAILED" : "all ok", failed);
    return failed;
}
