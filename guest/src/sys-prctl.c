/* sys-prctl: the prctl options programs use. Thread names (PR_SET_NAME/PR_GET_NAME: 15 bytes
 * kept, per thread, a new thread starting with its creator's), the parent-death signal, the
 * dumpable, keep-capabilities, no-new-privileges, timer-slack and THP flags, the capability
 * bounding set; and EINVAL for bad values and unknown options, EFAULT for bad pointers. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "check.h"

#define BAD ((void *)1)

static char seen_by_thread[16];
static char renamed_by_thread[16];
static void *thread_main(void *arg) {
    prctl(PR_GET_NAME, seen_by_thread);
    prctl(PR_SET_NAME, "worker");
    prctl(PR_GET_NAME, renamed_by_thread);
    return arg;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    char name[32];

    /* The main thread starts with a terminated name. */
    memset(name, 0xff, sizeof name);
    CHECK_OK(prctl(PR_GET_NAME, name));
    CHECK(memchr(name, 0, 16) != NULL);

    /* Names keep 15 bytes. */
    CHECK_OK(prctl(PR_SET_NAME, "main"));
    CHECK_OK(prctl(PR_GET_NAME, name));
    CHECK(strcmp(name, "main") == 0);
    CHECK_OK(prctl(PR_SET_NAME, "a-very-long-thread-name"));
    memset(name, 0xff, sizeof name);
    CHECK_OK(prctl(PR_GET_NAME, name));
    CHECK(strcmp(name, "a-very-long-thr") == 0);
    CHECK_EQ((unsigned char)name[16], 0xff); /* exactly 16 bytes written */
    CHECK_OK(prctl(PR_SET_NAME, ""));
    CHECK_OK(prctl(PR_GET_NAME, name));
    CHECK(name[0] == 0);

    /* Per thread: a new thread starts with its creator's name and renames only itself. */
    CHECK_OK(prctl(PR_SET_NAME, "creator"));
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, thread_main, NULL), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK(strcmp(seen_by_thread, "creator") == 0);
    CHECK(strcmp(renamed_by_thread, "worker") == 0);
    CHECK_OK(prctl(PR_GET_NAME, name));
    CHECK(strcmp(name, "creator") == 0);
    CHECK_ERR(prctl(PR_SET_NAME, BAD), EFAULT);
    CHECK_ERR(prctl(PR_GET_NAME, BAD), EFAULT);

    /* Parent-death signal: any signal number, read back through a pointer. */
    int sig = -1;
    CHECK_OK(prctl(PR_GET_PDEATHSIG, &sig));
    CHECK_EQ(sig, 0);
    CHECK_OK(prctl(PR_SET_PDEATHSIG, SIGTERM));
    CHECK_OK(prctl(PR_GET_PDEATHSIG, &sig));
    CHECK_EQ(sig, SIGTERM);
    CHECK_ERR(prctl(PR_SET_PDEATHSIG, 65), EINVAL);
    CHECK_ERR(prctl(PR_GET_PDEATHSIG, BAD), EFAULT);
    CHECK_OK(prctl(PR_SET_PDEATHSIG, 0));

    /* Flags returned as the result. */
    CHECK_EQ(prctl(PR_GET_DUMPABLE), 1);
    CHECK_OK(prctl(PR_SET_DUMPABLE, 0));
    CHECK_EQ(prctl(PR_GET_DUMPABLE), 0);
    CHECK_ERR(prctl(PR_SET_DUMPABLE, 2), EINVAL);
    CHECK_OK(prctl(PR_SET_DUMPABLE, 1));
    CHECK_EQ(prctl(PR_GET_KEEPCAPS), 0);
    CHECK_OK(prctl(PR_SET_KEEPCAPS, 1));
    CHECK_EQ(prctl(PR_GET_KEEPCAPS), 1);
    CHECK_ERR(prctl(PR_SET_KEEPCAPS, 5), EINVAL);
    CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
    CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
    CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
    CHECK_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
    CHECK_ERR(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
    CHECK_OK(prctl(PR_SET_TIMERSLACK, 1000));
    CHECK_EQ(prctl(PR_GET_TIMERSLACK), 1000);
    CHECK_OK(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
    CHECK_EQ(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), 1);
    CHECK_ERR(prctl(PR_SET_THP_DISABLE, 1, 1, 0, 0), EINVAL);
    int reaper = -1;
    CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
    CHECK_OK(prctl(PR_GET_CHILD_SUBREAPER, &reaper));
    CHECK_EQ(reaper, 1);

    /* The capability bounding set answers for known capabilities only. */
    CHECK(prctl(PR_CAPBSET_READ, 0) >= 0);
    CHECK_ERR(prctl(PR_CAPBSET_READ, 1000), EINVAL);

    /* Unknown options. */
    CHECK_ERR(prctl(0x7fff0001, 0, 0, 0, 0), EINVAL);
    CHECK_ERR(syscall(SYS_prctl, -1, 0, 0, 0, 0), EINVAL);
    return check_done();
}
