/* sys-sched: sched_yield, sched_getaffinity and sched_setaffinity. The affinity mask names
 * online CPUs (how many differs between machines, so only its shape is checked), a thread can
 * be pinned to CPU 0 and reads that back, another thread's mask is reached by its id; an empty
 * or offline-only mask, a bad size, an unknown thread and bad pointers fail as on Linux. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include "check.h"

static volatile pid_t other_tid;
static volatile int stop;

static void *idle(void *arg) {
    (void)arg;
    other_tid = syscall(SYS_gettid);
    while (!stop) sched_yield();
    return NULL;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    CHECK_EQ(sched_yield(), 0);

    /* The online CPUs: at least CPU 0; the raw call returns the kernel mask's size. */
    uint64_t mask[16];
    memset(mask, 0, sizeof mask);
    long size = CHECK_OK(syscall(SYS_sched_getaffinity, 0, sizeof mask, mask));
    CHECK(size >= 8 && size % 8 == 0 && size <= (long)sizeof mask);
    CHECK(mask[0] & 1);
    cpu_set_t set;
    CHECK_OK(sched_getaffinity(0, sizeof set, &set));
    int online = CPU_COUNT(&set);
    CHECK(online >= 1);

    /* Pinned to CPU 0, the thread reads back just that. */
    cpu_set_t zero;
    CPU_ZERO(&zero);
    CPU_SET(0, &zero);
    CHECK_OK(sched_setaffinity(0, sizeof zero, &zero));
    CHECK_OK(sched_getaffinity(0, sizeof set, &set));
    CHECK_EQ(CPU_COUNT(&set), 1);
    CHECK(CPU_ISSET(0, &set));
    /* The mask is per thread: another thread keeps its own; reached by its id. */
    pthread_t t;
    CPU_ZERO(&set);
    pthread_create(&t, NULL, idle, NULL);
    while (other_tid == 0) sched_yield();
    CHECK_OK(sched_getaffinity(other_tid, sizeof set, &set));
    CHECK(CPU_ISSET(0, &set));
    CHECK_OK(sched_setaffinity(other_tid, sizeof zero, &zero));
    CHECK_OK(sched_getaffinity(getpid(), sizeof set, &set));
    CHECK_EQ(CPU_COUNT(&set), 1);
    stop = 1;
    pthread_join(t, NULL);

    /* Errors. */
    cpu_set_t empty;
    CPU_ZERO(&empty);
    CHECK_ERR(sched_setaffinity(0, sizeof empty, &empty), EINVAL);
    CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, mask), EINVAL);
    CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 12, mask), EINVAL);
    CHECK_ERR(syscall(SYS_sched_getaffinity, 0x7fffffff, sizeof mask, mask), ESRCH);
    CHECK_ERR(syscall(SYS_sched_setaffinity, 0x7fffffff, sizeof zero, &zero), ESRCH);
    CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof mask, (void *)1), EFAULT);
    CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof zero, (void *)1), EFAULT);
    return check_done();
}
