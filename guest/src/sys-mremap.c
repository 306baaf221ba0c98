/* sys-mremap: shrinking in place, growing in place when the pages after are free, moving
 * (MREMAP_MAYMOVE) when they are not, MREMAP_FIXED to a chosen place; contents always survive
 * and the old range is gone after a move. A moved file mapping still shows the file. Errors:
 * EINVAL (unaligned, zero length, bad flags, FIXED without MAYMOVE), EFAULT (not mapped),
 * ENOMEM (cannot grow without moving). Mappedness is asked of mincore, not by touching. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "check.h"

#define PAGE 4096L

static int mapped(void *p) {
    unsigned char v;
    return syscall(SYS_mincore, p, PAGE, &v) == 0;
}

static int pattern_ok(const unsigned char *p, long n) {
    for (long i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 7 + i / PAGE)) return 0;
    return 1;
}
static void pattern(unsigned char *p, long n) {
    for (long i = 0; i < n; i++) p[i] = (unsigned char)(i * 7 + i / PAGE);
}

static void *remap(void *old, long old_len, long new_len, int flags, void *new_addr) {
    return (void *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    /* A 6-page reservation to work inside: pages 4 and 5 are freed to make room. */
    unsigned char *r = mmap(NULL, 6 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(r != MAP_FAILED);
    pattern(r, 4 * PAGE);
    CHECK_OK(munmap(r + 4 * PAGE, 2 * PAGE));

    /* Shrink in place: same address, the tail is gone. */
    CHECK(remap(r, 4 * PAGE, 3 * PAGE, 0, NULL) == r);
    CHECK(!mapped(r + 3 * PAGE) && pattern_ok(r, 3 * PAGE));
    /* Grow in place into the free pages after it: new pages are zero. */
    CHECK(remap(r, 3 * PAGE, 5 * PAGE, 0, NULL) == r);
    CHECK(pattern_ok(r, 3 * PAGE));
    int zero = 1;
    for (long i = 3 * PAGE; i < 5 * PAGE; i++) zero &= r[i] == 0;
    CHECK(zero);
    r[5 * PAGE - 1] = 1; /* writable */
    CHECK(mapped(r + 4 * PAGE) && !mapped(r + 5 * PAGE));

    /* Blocked by a mapping after it: ENOMEM without MAYMOVE, a move with it. */
    unsigned char *wall = mmap(r + 5 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(wall == r + 5 * PAGE);
    CHECK_ERR(syscall(SYS_mremap, r, 5 * PAGE, 8 * PAGE, 0, NULL), ENOMEM);
    unsigned char *moved = remap(r, 5 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, NULL);
    CHECK(moved != MAP_FAILED && moved != r);
    CHECK(pattern_ok(moved, 3 * PAGE) && moved[5 * PAGE - 1] == 1);
    CHECK(!mapped(r) && !mapped(r + 4 * PAGE) && mapped(wall));
    moved[8 * PAGE - 1] = 2;

    /* MREMAP_FIXED: to a chosen address, replacing what was there. */
    unsigned char *target = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(target, 0xee, 4 * PAGE);
    unsigned char *fixed = remap(moved, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    CHECK(fixed == target);
    CHECK(pattern_ok(fixed, 2 * PAGE));
    CHECK(fixed[2 * PAGE] == 0); /* the grown part is new memory, not what was there */
    CHECK(!mapped(moved) && mapped(moved + 2 * PAGE)); /* only the remapped part left */

    /* A file mapping moved keeps showing the file. */
    int fd = CHECK_OK(open("remapped", O_RDWR | O_CREAT | O_TRUNC, 0644));
    unsigned char file[3 * PAGE];
    pattern(file, sizeof file);
    CHECK_EQ(write(fd, file, sizeof file), sizeof file);
    unsigned char *fm = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char *block = mmap(fm + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(block == fm + PAGE);
    unsigned char *fm2 = remap(fm, PAGE, 3 * PAGE, MREMAP_MAYMOVE, NULL);
    CHECK(fm2 != MAP_FAILED && pattern_ok(fm2, 3 * PAGE));
    munmap(block, PAGE);
    munmap(fm2, 3 * PAGE);
    close(fd);
    unlink("remapped");

    /* Errors. */
    CHECK_ERR(syscall(SYS_mremap, fixed + 1, PAGE, PAGE, 0, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_mremap, fixed, PAGE, 0, 0, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_mremap, fixed, PAGE, PAGE, 0x80, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_mremap, fixed, PAGE, 2 * PAGE, MREMAP_FIXED, target), EINVAL);
    CHECK_ERR(syscall(SYS_mremap, fixed, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, fixed + 1), EINVAL);
    CHECK_ERR(syscall(SYS_mremap, r, PAGE, PAGE, 0, NULL), EFAULT);
    CHECK_ERR(syscall(SYS_mremap, fixed, 8 * PAGE, 9 * PAGE, MREMAP_MAYMOVE, NULL), EFAULT);
    munmap(fixed, 4 * PAGE);
    munmap(wall, PAGE);
    munmap(moved + 2 * PAGE, 6 * PAGE);
    return check_done();
}
