/* sys-faults: the signals CPU exceptions become, with Linux's si_code and si_addr: a page fault on
 * unmapped memory (SEGV_MAPERR) and on a read-only page (SEGV_ACCERR), a general protection fault
 * (SI_KERNEL, no address), ud2 (SIGILL, ILL_ILLOPN at the instruction), a division by zero
 * (SIGFPE, FPE_INTDIV at the instruction) and int3 (SIGTRAP, SI_KERNEL). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include "check.h"

static sigjmp_buf back;
static volatile int got_signo, got_code;
static void *volatile got_addr;

static void on_fault(int signo, siginfo_t *info, void *context) {
    got_signo = signo;
    got_code = info->si_code;
    got_addr = info->si_addr;
    siglongjmp(back, 1);
}

/* Runs `fault` under the handlers; returns whether it faulted. */
static int faults(void (*fault)(void)) {
    got_signo = got_code = 0;
    got_addr = (void *)-1;
    if (sigsetjmp(back, 1) == 0) {
        fault();
        return 0;
    }
    return 1;
}

static char *readonly_page;
static char *volatile unmapped = (char *)16;
static void write_unmapped(void) { *unmapped = 1; }
static void write_readonly(void) { readonly_page[8] = 1; }
static void load_noncanonical(void) { (void)*(volatile long *)0x8000000000000000UL; }
extern char ud2_at[], div_at[];
static void run_ud2(void) { __asm__ volatile("ud2_at: ud2"); }
static void divide_by_zero(void) {
    int zero = 0;
    __asm__ volatile("div_at: divl %1" : "+a"(zero) : "r"(zero) : "edx");
}
static void breakpoint(void) { __asm__ volatile("int3"); }

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    for (int s = 1; s < 32; s++) if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, NULL);
    readonly_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(readonly_page != MAP_FAILED);

    CHECK(faults(write_unmapped));
    CHECK_EQ(got_signo, SIGSEGV);
    CHECK_EQ(got_code, SEGV_MAPERR);
    CHECK(got_addr == unmapped);

    CHECK(faults(write_readonly));
    CHECK_EQ(got_signo, SIGSEGV);
    CHECK_EQ(got_code, SEGV_ACCERR);
    CHECK(got_addr == readonly_page + 8);

    CHECK(faults(load_noncanonical));
    CHECK_EQ(got_signo, SIGSEGV);
    CHECK_EQ(got_code, SI_KERNEL);
    CHECK(got_addr == NULL);

    CHECK(faults(run_ud2));
    CHECK_EQ(got_signo, SIGILL);
    CHECK_EQ(got_code, ILL_ILLOPN);
    CHECK(got_addr == ud2_at);

    CHECK(faults(divide_by_zero));
    CHECK_EQ(got_signo, SIGFPE);
    CHECK_EQ(got_code, FPE_INTDIV);
    CHECK(got_addr == div_at);

    CHECK(faults(breakpoint));
    CHECK_EQ(got_signo, SIGTRAP);
    CHECK_EQ(got_code, SI_KERNEL);
    return check_done();
}
