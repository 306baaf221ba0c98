/* sys-mmap: mmap and munmap (anonymous and file mappings, MAP_FIXED, MAP_FIXED_NOREPLACE,
 * MAP_SHARED anonymous memory, MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN, partial unmaps that
 * split a mapping), msync, madvise (MADV_DONTNEED zeroes private anonymous pages) and mincore
 * (a touched page is resident), with their error returns. Whether a page is mapped is asked of
 * mincore (ENOMEM for a hole), never by touching it. Addresses differ and are never printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "check.h"

#define BAD ((void *)1)
#define PAGE 4096L

/* Whether the page at p is mapped: mincore says ENOMEM for an unmapped one. */
static int mapped(void *p) {
    unsigned char v;
    return syscall(SYS_mincore, p, PAGE, &v) == 0;
}

static void *map(void *addr, long len, int prot, int flags, int fd, long off) {
    return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}
#define FAILED(p) ((unsigned long)(p) > -4096UL)

static int all(const unsigned char *p, long n, unsigned char value) {
    for (long i = 0; i < n; i++)
        if (p[i] != value) return 0;
    return 1;
}

int main(int argc, char **argv) {
    scratch(argc, argv);

    /* Anonymous private memory: zeroed, writable, page-aligned. */
    unsigned char *a = map(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(!FAILED(a) && (unsigned long)a % PAGE == 0);
    CHECK(all(a, 3 * PAGE, 0));
    memset(a, 1, PAGE);
    memset(a + PAGE, 2, PAGE);
    memset(a + 2 * PAGE, 3, PAGE);

    /* mincore: resident after a touch; EINVAL unaligned, ENOMEM unmapped, EFAULT bad vector. */
    unsigned char vec[4] = {0xff, 0xff, 0xff, 0xff};
    CHECK_OK(mincore(a, 3 * PAGE, vec));
    CHECK((vec[0] & 1) && (vec[1] & 1) && (vec[2] & 1));
    CHECK_EQ(vec[3], 0xff);
    CHECK_OK(mincore(a, 1, vec)); /* the length is rounded up to a page */
    CHECK_ERR(mincore(a + 1, PAGE, vec), EINVAL);
    CHECK_ERR(mincore(a, PAGE, BAD), EFAULT);

    /* munmap of the middle page splits the mapping; both ends keep their contents. */
    CHECK_OK(munmap(a + PAGE, PAGE));
    CHECK(mapped(a) && !mapped(a + PAGE) && mapped(a + 2 * PAGE));
    CHECK_ERR(mincore(a, 3 * PAGE, vec), ENOMEM);
    CHECK(all(a, PAGE, 1) && all(a + 2 * PAGE, PAGE, 3));
    CHECK_OK(munmap(a + PAGE, PAGE)); /* unmapping a hole is fine */
    CHECK_ERR(munmap(a + 1, PAGE), EINVAL);
    CHECK_ERR(munmap(a, 0), EINVAL);
    CHECK_OK(munmap(a, 3 * PAGE));
    CHECK(!mapped(a) && !mapped(a + 2 * PAGE));

    /* MAP_FIXED replaces what is there; MAP_FIXED_NOREPLACE refuses to. */
    unsigned char *b = map(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(b, 7, 4 * PAGE);
    unsigned char *f = map(b + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(f == b + PAGE);
    CHECK(all(f, PAGE, 0) && all(b, PAGE, 7) && all(b + 2 * PAGE, 2 * PAGE, 7));
    CHECK_ERR(syscall(SYS_mmap, b + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
    CHECK(all(b + 2 * PAGE, PAGE, 7));
    CHECK_OK(munmap(b + 3 * PAGE, PAGE));
    unsigned char *n = map(b + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(n == b + 3 * PAGE && all(n, PAGE, 0));
    CHECK_ERR(syscall(SYS_mmap, b + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);

    /* madvise(MADV_DONTNEED) gives private anonymous pages back: they read as zeros. */
    CHECK_OK(madvise(b, 2 * PAGE, MADV_DONTNEED));
    CHECK(all(b, 2 * PAGE, 0) && all(b + 2 * PAGE, PAGE, 7));
    CHECK_OK(madvise(b, 4 * PAGE, MADV_NORMAL));
    CHECK_OK(madvise(b, 4 * PAGE, MADV_WILLNEED));
    CHECK_OK(madvise(b, 4 * PAGE, MADV_SEQUENTIAL));
    CHECK_OK(madvise(b, 0, MADV_DONTNEED));
    CHECK_ERR(madvise(b + 1, PAGE, MADV_DONTNEED), EINVAL);
    CHECK_ERR(madvise(b, PAGE, 12345), EINVAL);
    CHECK_OK(munmap(b, 4 * PAGE));
    CHECK_ERR(madvise(b, PAGE, MADV_DONTNEED), ENOMEM);

    /* Shared anonymous memory, MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN: zeroed and usable;
     * MADV_DONTNEED keeps the contents of shared memory. */
    static const int kinds[] = {MAP_SHARED | MAP_ANONYMOUS, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN};
    for (unsigned k = 0; k < 4; k++) {
        unsigned char *m = map(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, kinds[k], -1, 0);
        if (k == 1) {
            unsigned char v[2] = {0, 0};
            CHECK_OK(mincore(m, 2 * PAGE, v));
            CHECK((v[0] & 1) && (v[1] & 1)); /* MAP_POPULATE: resident before any touch */
        }
        char what[64];
        snprintf(what, sizeof what, "mapping kind %u is zeroed and writable", k);
        int ok = !FAILED(m) && all(m, 2 * PAGE, 0);
        if (ok) memset(m, 9, 2 * PAGE);
        check_report(ok && all(m, 2 * PAGE, 9), what, __FILE__, __LINE__, "failed");
        if (k == 0) {
            CHECK_OK(madvise(m, PAGE, MADV_DONTNEED));
            CHECK(all(m, PAGE, 9));
        }
        if (!FAILED(m)) munmap(m, 2 * PAGE);
    }

    /* File mappings: a private one sees the file and keeps its stores; a shared one writes
     * through (msync), and reaches past the mapping's first page at an offset. */
    int fd = CHECK_OK(open("mapped", O_RDWR | O_CREAT | O_TRUNC, 0644));
    char block[2 * PAGE];
    memset(block, 'f', PAGE);
    memset(block + PAGE, 'g', PAGE);
    CHECK_EQ(write(fd, block, sizeof block), sizeof block);
    unsigned char *p = map(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(!FAILED(p) && all(p, PAGE, 'f') && all(p + PAGE, PAGE, 'g'));
    memset(p, 'p', 16);
    unsigned char *s = map(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
    CHECK(!FAILED(s) && all(s, PAGE, 'g'));
    memcpy(s + 100, "shared", 6);
    CHECK_OK(msync(s, PAGE, MS_SYNC));
    char got[8] = {0};
    CHECK_EQ(pread(fd, got, 6, PAGE + 100), 6);
    CHECK(memcmp(got, "shared", 6) == 0);
    CHECK_EQ(pread(fd, got, 1, 0), 1);
    CHECK_EQ(got[0], 'f'); /* the private store stayed private */
    CHECK_OK(msync(s, PAGE, MS_ASYNC));
    CHECK_OK(msync(s, PAGE, MS_INVALIDATE));
    CHECK_OK(msync(s, PAGE, MS_SYNC | MS_INVALIDATE));
    CHECK_OK(msync(p, 2 * PAGE, MS_SYNC)); /* private and anonymous mappings sync trivially */
    CHECK_OK(msync(s, 0, MS_SYNC));
    CHECK_ERR(msync(s, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
    CHECK_ERR(msync(s, PAGE, 0x100), EINVAL);
    CHECK_ERR(msync((char *)s + 1, PAGE, MS_SYNC), EINVAL);
    CHECK_OK(munmap(s, PAGE));
    CHECK_ERR(msync(s, PAGE, MS_SYNC), ENOMEM);
    CHECK_OK(munmap(p, 2 * PAGE));

    /* mmap's errors. */
    CHECK_ERR(syscall(SYS_mmap, NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL); /* neither private nor shared */
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, fd, 0), EOPNOTSUPP);
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, 9999, 0), EBADF);
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
    CHECK_ERR(syscall(SYS_mmap, NULL, 1L << 48, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0), EINVAL);
    /* Unknown protection bits are ignored by mmap (mprotect refuses them). */
    unsigned char *odd = map(NULL, PAGE, PROT_READ | PROT_WRITE | 0x10, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(!FAILED(odd));
    if (!FAILED(odd)) {
        odd[0] = 1;
        munmap(odd, PAGE);
    }
    /* A hint is rounded down to a page and kept when free. */
    unsigned char *hint = map(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_OK(munmap(hint, 2 * PAGE));
    CHECK(map(hint + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == hint);
    munmap(hint, PAGE);
    int ro = CHECK_OK(open("mapped", O_RDONLY));
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
    unsigned char *rp = map(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0); /* private: fine */
    CHECK(!FAILED(rp) && rp[0] == 'f');
    munmap(rp, PAGE);
    int wo = CHECK_OK(open("mapped", O_WRONLY));
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
    int dir = CHECK_OK(open(".", O_RDONLY | O_DIRECTORY));
    CHECK_ERR(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
    close(dir);
    close(wo);
    close(ro);
    close(fd);
    CHECK_OK(unlink("mapped"));
    return check_done();
}
