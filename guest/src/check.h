/* check.h: the assertions of the sys-* guest tests.
 *
 * Each sys-<area>.c program checks Linux semantics of a group of syscalls. Every check prints
 * one line, "ok <what>" or "FAIL <what>: <what happened>", and the program exits with the
 * number of failures. The tests run each program natively (which proves the expectations are
 * Linux's) and inside nanots, and require identical output and exit status. So a program must
 * print nothing that legitimately differs between the two: no pids, paths, addresses or times.
 *
 * The programs take one argument, a scratch directory they may fill (natively a fresh temporary
 * directory, in the VM /tmp); scratch() enters it.
 */
#ifndef CHECK_H
#define CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_failures;

static void check_report(int ok, const char *what, const char *file, int line, const char *detail) {
    if (ok) {
        printf("ok %s\n", what);
    } else {
        check_failures++;
        printf("FAIL %s (%s:%d): %s\n", what, file, line, detail);
    }
    fflush(stdout);
}

/* A condition that must hold. */
#define CHECK(cond) check_report(!!(cond), #cond, __FILE__, __LINE__, "false")

/* Two integers that must be equal. */
#define CHECK_EQ(actual, expected)                                                              \
    do {                                                                                        \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);             \
        char check_d_[96];                                                                      \
        snprintf(check_d_, sizeof check_d_, "got %lld, expected %lld", check_a_, check_e_);     \
        check_report(check_a_ == check_e_, #actual " == " #expected, __FILE__, __LINE__, check_d_); \
    } while (0)

/* A call that must succeed (return anything but -1); gives its result. */
#define CHECK_OK(call)                                                                          \
    ({                                                                                          \
        errno = 0;                                                                              \
        long long check_r_ = (long long)(call);                                                 \
        char check_d_[96];                                                                      \
        snprintf(check_d_, sizeof check_d_, "returned -1, errno %d (%s)", errno, strerror(errno)); \
        check_report(check_r_ != -1, #call, __FILE__, __LINE__, check_d_);                      \
        check_r_;                                                                               \
    })

/* A call that must fail with -1 and this errno. */
#define CHECK_ERR(call, err)                                                                    \
    do {                                                                                        \
        errno = 0;                                                                              \
        long long check_r_ = (long long)(call);                                                 \
        int check_e_ = errno;                                                                   \
        char check_d_[128];                                                                     \
        snprintf(check_d_, sizeof check_d_, "returned %lld, errno %d (%s), expected %s", check_r_, \
                 check_e_, strerror(check_e_), #err);                                           \
        check_report(check_r_ == -1 && check_e_ == (err), #call " fails with " #err, __FILE__,    \
                     __LINE__, check_d_);                                                       \
    } while (0)

/* Enters the scratch directory named by argv[1]. */
static void scratch(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        printf("FAIL usage: %s SCRATCH-DIRECTORY\n", argv[0]);
        exit(100);
    }
}

/* The exit status: the number of failed checks (capped to stay a plain exit code). */
static int check_done(void) {
    printf("%d failed\n", check_failures);
    return check_failures > 99 ? 99 : check_failures;
}

#endif
