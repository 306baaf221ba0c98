/* sys-mprotect: mprotect. A page made PROT_NONE or read-only faults on access (SIGSEGV with
 * si_addr, caught by a handler that leaves with siglongjmp), keeps its contents, and is usable
 * again once writable; part of a mapping can change (the mapping splits); errors EINVAL (unaligned,
 * unknown bits), ENOMEM (unmapped: a range running into a hole changes up to the hole) and EACCES
 * (writable shared mapping of a read-only file). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "check.h"

#define PAGE 4096L

static sigjmp_buf escape;
static volatile void *fault_addr;
static volatile int faults;

static void on_segv(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    fault_addr = info->si_addr;
    faults++;
    siglongjmp(escape, 1);
}

/* Whether reading (write = 0) or writing (write = 1) *p faults, and at p. */
static int faults_at(volatile unsigned char *p, int write) {
    fault_addr = NULL;
    int before = faults;
    if (sigsetjmp(escape, 1) == 0) {
        if (write) *p = 0x5a;
        else (void)*p;
    }
    return faults == before + 1 && fault_addr == (void *)p;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK_OK(sigaction(SIGSEGV, &sa, NULL));

    unsigned char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    memset(m, 0x11, 3 * PAGE);

    /* PROT_NONE on the middle page: it faults on reads and writes; its neighbours do not. */
    CHECK_OK(mprotect(m + PAGE, PAGE, PROT_NONE));
    CHECK(faults_at(m + PAGE + 10, 0));
    CHECK(faults_at(m + 2 * PAGE - 1, 1));
    CHECK(!faults_at(m + 5, 1) && !faults_at(m + 2 * PAGE, 1));
    /* Read-only: reads work, writes fault. */
    CHECK_OK(mprotect(m + PAGE, PAGE, PROT_READ));
    CHECK(!faults_at(m + PAGE + 10, 0));
    CHECK_EQ(m[PAGE + 10], 0x11); /* the contents survived PROT_NONE */
    CHECK(faults_at(m + PAGE + 20, 1));
    CHECK_EQ(m[PAGE + 20], 0x11);
    /* Writable again: the store lands. */
    CHECK_OK(mprotect(m, 3 * PAGE, PROT_READ | PROT_WRITE));
    CHECK(!faults_at(m + PAGE + 20, 1));
    CHECK_EQ(m[PAGE + 20], 0x5a);
    /* A page never touched, made read-only first, reads as zeros. */
    unsigned char *fresh = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(faults_at(fresh, 0));
    CHECK_OK(mprotect(fresh, PAGE, PROT_READ));
    CHECK(!faults_at(fresh + 100, 0));
    CHECK_EQ(fresh[100], 0);
    CHECK(faults_at(fresh, 1));

    /* Errors: unaligned, unknown bits, unmapped (also partly), and nothing changes then. */
    CHECK_ERR(syscall(SYS_mprotect, m + 1, PAGE, PROT_READ), EINVAL); /* musl's wrapper rounds down */
    CHECK_ERR(syscall(SYS_mprotect, m, PAGE, 0x100), EINVAL);
    CHECK_ERR(syscall(SYS_mprotect, m, PAGE, PROT_READ | PROT_GROWSDOWN), EINVAL);
    CHECK_OK(syscall(SYS_mprotect, m, PAGE, PROT_READ | PROT_WRITE | 0x8)); /* PROT_SEM: accepted */
    CHECK_OK(mprotect(m, 0, PROT_NONE));
    CHECK_OK(munmap(m + 2 * PAGE, PAGE));
    CHECK_ERR(mprotect(m + 2 * PAGE, PAGE, PROT_READ), ENOMEM);
    CHECK(!faults_at(m + PAGE, 1));
    /* A range running into a hole: the mapped part up to the hole has changed, as on Linux. */
    CHECK_ERR(mprotect(m + PAGE, 2 * PAGE, PROT_READ), ENOMEM);
    CHECK(faults_at(m + PAGE, 1));
    CHECK(!faults_at(m, 1));
    CHECK_EQ(faults, 6);
    munmap(m, 2 * PAGE);
    munmap(fresh, PAGE);

    /* A shared mapping of a file opened read-only cannot be made writable (EACCES); a private one
     * can (its stores stay private). */
    int fd = CHECK_OK(open("protected", O_RDWR | O_CREAT | O_TRUNC, 0644));
    char page[PAGE];
    memset(page, 'r', PAGE);
    CHECK_EQ(write(fd, page, PAGE), PAGE);
    close(fd);
    int ro = CHECK_OK(open("protected", O_RDONLY));
    unsigned char *shared = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
    unsigned char *private_ = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 0);
    CHECK(shared != MAP_FAILED && private_ != MAP_FAILED);
    CHECK_ERR(mprotect(shared, PAGE, PROT_READ | PROT_WRITE), EACCES);
    CHECK_OK(mprotect(shared, PAGE, PROT_READ | PROT_EXEC));
    CHECK_OK(mprotect(private_, PAGE, PROT_READ | PROT_WRITE));
    private_[0] = 'p';
    CHECK_EQ(shared[0], 'r');
    munmap(shared, PAGE);
    munmap(private_, PAGE);
    close(ro);
    CHECK_OK(unlink("protected"));
    return check_done();
}
