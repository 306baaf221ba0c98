/* sys-arch: arch_prctl, the thread-pointer (FS) and GS bases. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include "check.h"

/* <asm/prctl.h> (musl-gcc has no kernel headers). */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

static uintptr_t gs_word(void) {
    uintptr_t v;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    /* Both libcs keep a pointer to the thread control block at %fs:0: the FS base itself. */
    uintptr_t fs = 0, self;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(self));
    CHECK_EQ(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), 0);
    CHECK(fs == self);

    /* GS is free for the program: set it, read it back, and load through it. */
    static uintptr_t block[2] = {0x1234abcd, 0};
    CHECK_EQ(syscall(SYS_arch_prctl, ARCH_SET_GS, (uintptr_t)block), 0);
    uintptr_t gs = 0;
    CHECK_EQ(syscall(SYS_arch_prctl, ARCH_GET_GS, &gs), 0);
    CHECK(gs == (uintptr_t)block);
    CHECK_EQ(gs_word(), 0x1234abcd);

    /* Errors: an unknown code, a non-canonical base, a bad pointer. */
    CHECK_ERR(syscall(SYS_arch_prctl, 0x1999, 0), EINVAL);
    CHECK_ERR(syscall(SYS_arch_prctl, ARCH_SET_GS, 1UL << 63), EPERM);
    CHECK_ERR(syscall(SYS_arch_prctl, ARCH_GET_FS, (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_arch_prctl, ARCH_GET_GS, (void *)1), EFAULT);
    /* FS is unchanged by all that. */
    CHECK_EQ(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), 0);
    CHECK(fs == self);
    return check_done();
}
