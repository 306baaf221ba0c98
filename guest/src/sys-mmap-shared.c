/* sys-mmap-shared: MAP_SHARED file mappings are coherent, as Linux's page cache makes them: one
 * page per file offset. A store through a mapping is seen by read() at once (no msync), a write()
 * is seen through an existing mapping, two mappings of one file (through one fd or two opens)
 * see each other's stores, a MAP_PRIVATE mapping follows the file in the pages it has not stored
 * into and keeps its stores to itself, msync and munmap
 * still write back (also after the fd is closed), and truncation takes pages away: touching a
 * page wholly past the end of the file is SIGBUS (BUS_ADRERR), for private mappings too. mmap,
 * msync and munmap error returns too. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "check.h"

#define PAGE 4096

static sigjmp_buf back;
static volatile int got_signo, got_code;
static void *volatile got_addr;

static void on_fault(int signo, siginfo_t *info, void *context) {
    (void)context;
    got_signo = signo;
    got_code = info->si_code;
    got_addr = info->si_addr;
    siglongjmp(back, 1);
}

/* Whether reading the byte at `p` faults. */
static int read_faults(volatile char *p) {
    got_signo = got_code = 0;
    got_addr = 0;
    if (sigsetjmp(back, 1) == 0) {
        (void)*p;
        return 0;
    }
    return 1;
}

static char byte_at(int fd, off_t at) {
    char c = '?';
    CHECK_EQ(pread(fd, &c, 1, at), 1);
    return c;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    static char page[PAGE];
    int fd = CHECK_OK(open("shared-file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    memset(page, 'a', PAGE);
    CHECK_EQ(write(fd, page, PAGE), PAGE);
    CHECK_EQ(write(fd, page, PAGE), PAGE);

    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);

    /* A store through the mapping is in the file for read() and pread() at once. */
    p[10] = 'X';
    CHECK_EQ(byte_at(fd, 10), 'X');
    char buf[4] = {0};
    CHECK_EQ(lseek(fd, 9, SEEK_SET), 9);
    CHECK_EQ(read(fd, buf, 3), 3);
    CHECK(memcmp(buf, "aXa", 3) == 0);

    /* A write() (and pwrite()) shows through the mapping. */
    CHECK_EQ(pwrite(fd, "Y", 1, PAGE + 5), 1);
    CHECK_EQ(p[PAGE + 5], 'Y');
    CHECK_EQ(lseek(fd, 12, SEEK_SET), 12);
    CHECK_EQ(write(fd, "wx", 2), 2);
    CHECK_EQ(p[12], 'w');
    CHECK_EQ(p[13], 'x');

    /* A second mapping of the same fd shares the pages both ways. */
    char *q = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(q != MAP_FAILED && q != p);
    CHECK_EQ(q[10], 'X');
    q[20] = 'Z';
    CHECK_EQ(p[20], 'Z');
    p[21] = 'z';
    CHECK_EQ(q[21], 'z');

    /* So does a mapping through a second open of the file, at another offset. */
    int fd2 = CHECK_OK(open("shared-file", O_RDWR));
    char *r = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, PAGE);
    CHECK(r != MAP_FAILED);
    CHECK_EQ(r[5], 'Y');
    r[6] = 'W';
    CHECK_EQ(p[PAGE + 6], 'W');
    CHECK_EQ(byte_at(fd, PAGE + 6), 'W');
    p[PAGE + 7] = 'V';
    CHECK_EQ(r[7], 'V');
    CHECK_EQ(byte_at(fd2, PAGE + 7), 'V');

    /* A read-only shared mapping (of an O_RDONLY open) sees the stores too. */
    int ro = CHECK_OK(open("shared-file", O_RDONLY));
    const char *s = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(s != MAP_FAILED);
    CHECK_EQ(s[20], 'Z');
    p[22] = 'R';
    CHECK_EQ(s[22], 'R');

    /* MAP_PRIVATE: it starts from the file as the shared pages have it; its own stores stay
     * private, and pages it has not touched yet still show the file's changes. */
    char *priv = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(priv != MAP_FAILED);
    CHECK_EQ(pwrite(fd, "N", 1, PAGE + 100), 1);
    CHECK_EQ(priv[PAGE + 100], 'N');
    CHECK_EQ(priv[10], 'X');
    /* A page it has only read still follows the file and the shared mappings... */
    CHECK_EQ(pwrite(fd, "F", 1, 11), 1);
    CHECK_EQ(priv[11], 'F');
    p[12] = 'G';
    CHECK_EQ(priv[12], 'G');
    /* ...until it stores into it: then the page is its own. */
    priv[30] = 'P';
    CHECK_EQ(p[30], 'a');
    CHECK_EQ(byte_at(fd, 30), 'a');
    CHECK_EQ(priv[30], 'P');
    p[31] = 'H';
    CHECK_EQ(pwrite(fd, "I", 1, 32), 1);
    CHECK_EQ(priv[31], 'a');
    CHECK_EQ(priv[32], 'a');
    CHECK_EQ(priv[12], 'G');
    /* A read-only private mapping made writable copies at the first store too. */
    char *rop = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(rop != MAP_FAILED);
    CHECK_EQ(rop[31], 'H');
    CHECK_OK(mprotect(rop, PAGE, PROT_READ | PROT_WRITE));
    rop[33] = 'K';
    CHECK_EQ(p[33], 'a');
    CHECK_EQ(rop[31], 'H');
    p[34] = 'L';
    CHECK_EQ(rop[34], 'a');
    CHECK_OK(munmap(rop, PAGE));
    CHECK_OK(munmap(priv, 2 * PAGE));
    CHECK_EQ(byte_at(fd, 30), 'a');

    /* msync writes back (and is fine on a read-only mapping); its errors. */
    p[40] = 'M';
    CHECK_OK(msync(p, 2 * PAGE, MS_SYNC));
    CHECK_OK(msync(p, PAGE, MS_ASYNC));
    CHECK_OK(msync((void *)s, PAGE, MS_SYNC));
    CHECK_EQ(byte_at(fd2, 40), 'M');
    CHECK_ERR(msync(p + 1, PAGE, MS_SYNC), EINVAL);
    CHECK_ERR(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);

    /* The mapping outlives its fd; munmap of the last mapping leaves the stores in the file. */
    CHECK_OK(munmap(q, 2 * PAGE));
    CHECK_OK(munmap((void *)s, PAGE));
    CHECK_OK(close(ro));
    CHECK_OK(close(fd));
    p[50] = 'C';
    r[60] = 'D';
    CHECK_OK(munmap(r, PAGE));
    CHECK_OK(munmap(p, 2 * PAGE));
    CHECK_ERR(msync(p, PAGE, MS_SYNC), ENOMEM);
    CHECK_EQ(byte_at(fd2, 50), 'C');
    CHECK_EQ(byte_at(fd2, PAGE + 60), 'D');
    int again = CHECK_OK(open("shared-file", O_RDONLY));
    CHECK_EQ(byte_at(again, 50), 'C');
    CHECK_OK(close(again));

    /* Error returns of mmap for files. */
    ro = CHECK_OK(open("shared-file", O_RDONLY));
    CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EACCES);
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 9999, 0) == MAP_FAILED && errno == EBADF);
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 1) == MAP_FAILED && errno == EINVAL);
    CHECK(mmap(NULL, 0, PROT_READ, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EINVAL);
    CHECK_OK(close(ro));
    CHECK_ERR(munmap((void *)1, PAGE), EINVAL);

    /* Truncation: the partial last page's tail becomes zeros in the mapping, and pages wholly
     * past the end are gone (SIGBUS); growing the file again brings zeros back. */
    struct sigaction sa = {0};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    CHECK_OK(sigaction(SIGBUS, &sa, NULL));
    p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(p[PAGE + 5], 'Y');
    CHECK_EQ(p[200], 'a');
    CHECK_OK(ftruncate(fd2, 100));
    CHECK_EQ(p[50], 'C');
    CHECK_EQ(p[200], 0);
    CHECK(read_faults(p + PAGE + 5));
    CHECK_EQ(got_signo, SIGBUS);
    CHECK_EQ(got_code, BUS_ADRERR);
    CHECK(got_addr == p + PAGE + 5);
    /* The kernel's copies into such a page fail with EFAULT instead. */
    CHECK_ERR(pread(fd2, p + PAGE, 10, 0), EFAULT);
    CHECK_OK(ftruncate(fd2, 2 * PAGE));
    CHECK(!read_faults(p + PAGE + 5));
    CHECK_EQ(p[PAGE + 5], 0);
    CHECK_EQ(p[200], 0);
    CHECK_EQ(byte_at(fd2, 200), 0);
    CHECK_EQ(p[10], 'X');

    /* A mapping may reach past the end of the file: whole pages past it are SIGBUS. */
    CHECK_OK(ftruncate(fd2, 10));
    char *far = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd2, 0);
    CHECK(far != MAP_FAILED);
    CHECK_EQ(far[5], 'a');
    CHECK_EQ(far[20], 0);
    CHECK(read_faults(far + 2 * PAGE));
    CHECK_EQ(got_signo, SIGBUS);
    /* write() past the end makes the page real, and the mapping sees it. */
    CHECK_EQ(pwrite(fd2, "G", 1, 2 * PAGE + 1), 1);
    CHECK(!read_faults(far + 2 * PAGE + 1));
    CHECK_EQ(far[2 * PAGE + 1], 'G');
    CHECK_OK(munmap(far, 3 * PAGE));
    CHECK_OK(munmap(p, 2 * PAGE));

    /* So are a private mapping's pages past the end of the file; its last page reads zeros
     * past the end. */
    char *pv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd2, 0);
    CHECK(pv != MAP_FAILED);
    CHECK_EQ(pv[2 * PAGE + 1], 'G');
    CHECK_EQ(pv[2 * PAGE + 2], 0);
    CHECK(read_faults(pv + 3 * PAGE));
    CHECK_EQ(got_signo, SIGBUS);
    CHECK_EQ(got_code, BUS_ADRERR);
    CHECK(got_addr == pv + 3 * PAGE);
    CHECK_OK(munmap(pv, 4 * PAGE));

    struct stat st;
    CHECK_OK(fstat(fd2, &st));
    CHECK_EQ(st.st_size, 2 * PAGE + 2);
    CHECK_OK(close(fd2));
    CHECK_OK(unlink("shared-file"));
    return check_done();
}
