/* sys-brk: the program break. brk(0) reads it; growing returns the new break and gives zeroed,
 * writable memory; shrinking returns it too and a later growth is zeroed again; a break below
 * the start or absurdly high is refused by returning the current one. Raw syscalls: libc's
 * malloc may move the break itself, and musl's sbrk refuses to. */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include "check.h"

#define PAGE 4096L

static char *brk_to(void *addr) { return (char *)syscall(SYS_brk, addr); }

int main(int argc, char **argv) {
    scratch(argc, argv);
    char *start = brk_to(0);
    CHECK(start != NULL);
    CHECK(brk_to(0) == start);

    /* Grow by three pages and a bit: the exact value comes back; the memory is zeroed. */
    char *want = start + 3 * PAGE + 100;
    CHECK(brk_to(want) == want);
    CHECK(brk_to(0) == want);
    int zero = 1;
    for (char *p = start; p < want; p++) zero &= *p == 0;
    CHECK(zero);
    memset(start, 0x33, want - start);
    CHECK_EQ(start[3 * PAGE + 99], 0x33);

    /* Shrink, then grow again: the released part comes back zeroed. */
    CHECK(brk_to(start + PAGE) == start + PAGE);
    CHECK_EQ(start[PAGE - 1], 0x33);
    CHECK(brk_to(want) == want);
    CHECK_EQ(start[PAGE - 1], 0x33);
    zero = 1;
    char *page_end = (char *)(((unsigned long)start + PAGE + PAGE - 1) & ~(PAGE - 1));
    for (char *p = page_end; p < want; p++) zero &= *p == 0;
    CHECK(zero);

    /* Refused moves leave the break where it is. */
    CHECK(brk_to((void *)PAGE) == want); /* below the program */
    CHECK(brk_to((void *)(1UL << 47)) == want);
    CHECK(brk_to((void *)-4096L) == want);
    CHECK(brk_to(0) == want);
    CHECK(brk_to(start) == start);
    return check_done();
}
