/* sys-futex: futex (WAIT, WAKE, WAIT_BITSET/WAKE_BITSET with absolute timeouts on both clocks,
 * REQUEUE, CMP_REQUEUE, WAKE_OP, the PRIVATE flag) and robust lists: set_robust_list,
 * get_robust_list, and a thread that exits holding robust locks (its own list, and a pthread
 * robust mutex) hands them over as FUTEX_OWNER_DIED / EOWNERDEAD. Error returns of each. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_OP_ADD 1
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout, uint32_t *uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A thread that waits on a futex word (with a bitset) and records the result. Its wakers use
 * FUTEX_PRIVATE_FLAG too: Linux keeps private and shared futexes apart. */
struct waiter {
    pthread_t thread;
    uint32_t *word;
    uint32_t bitset;
    volatile int started;
    volatile long result;
    volatile int done;
};

static void *wait_on(void *arg) {
    struct waiter *w = arg;
    w->started = 1;
    w->result = futex(w->word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, *w->word, NULL, NULL, w->bitset);
    w->done = 1;
    return NULL;
}

static void spawn_waiter(struct waiter *w, uint32_t *word, uint32_t bitset) {
    w->word = word;
    w->bitset = bitset;
    w->started = 0;
    w->done = 0;
    pthread_create(&w->thread, NULL, wait_on, w);
    while (!w->started) sched_yield();
    sleep_ms(20); /* long enough to be blocked in the kernel */
}

/* A robust list of one lock, held by the thread that registers it. */
struct robust_lock {
    struct robust_lock *next;
    uint32_t word;
};
struct robust_head {
    struct robust_lock *next;
    long offset;
    struct robust_lock *pending;
};
static struct robust_head head;
static struct robust_lock lock;

static void *hold_and_exit(void *arg) {
    (void)arg;
    lock.word = syscall(SYS_gettid) | FUTEX_WAITERS;
    lock.next = (struct robust_lock *)&head;
    head.next = &lock;
    head.offset = __builtin_offsetof(struct robust_lock, word);
    head.pending = NULL;
    syscall(SYS_set_robust_list, &head, sizeof head);
    return NULL; /* exits holding the lock */
}

static pthread_mutex_t robust;
static void *lock_and_exit(void *arg) {
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    uint32_t word = 1, other = 0;
    struct timespec t20 = {0, 20000000L};

    /* WAIT: EAGAIN when the word differs, ETIMEDOUT after a relative timeout. */
    CHECK_ERR(futex(&word, FUTEX_WAIT, 2, NULL, NULL, 0), EAGAIN);
    double start = now_ms();
    CHECK_ERR(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, &t20, NULL, 0), ETIMEDOUT);
    CHECK(now_ms() - start >= 15);
    /* WAIT_BITSET: absolute timeouts on CLOCK_MONOTONIC, or CLOCK_REALTIME with the flag. */
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_nsec += 20000000L;
    if (at.tv_nsec >= 1000000000L) at.tv_sec++, at.tv_nsec -= 1000000000L;
    CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 1, &at, NULL, ~0u), ETIMEDOUT);
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += 20000000L;
    if (at.tv_nsec >= 1000000000L) at.tv_sec++, at.tv_nsec -= 1000000000L;
    CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &at, NULL, ~0u), ETIMEDOUT);

    /* WAKE: nobody waits, then one waiter. */
    CHECK_EQ(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
    struct waiter a, b, c;
    spawn_waiter(&a, &word, ~0u);
    CHECK_EQ(a.done, 0);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 1);
    pthread_join(a.thread, NULL);
    CHECK_EQ(a.result, 0);

    /* WAKE_BITSET wakes only the waiters whose bitset it meets. */
    spawn_waiter(&a, &word, 1);
    spawn_waiter(&b, &word, 2);
    CHECK_EQ(futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 2), 1);
    pthread_join(b.thread, NULL);
    CHECK_EQ(a.done, 0);
    CHECK_EQ(futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 1), 1);
    pthread_join(a.thread, NULL);

    /* REQUEUE: wake one, move the others to another word (the count is both). */
    spawn_waiter(&a, &word, ~0u);
    spawn_waiter(&b, &word, ~0u);
    spawn_waiter(&c, &word, ~0u);
    CHECK_EQ(futex(&word, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 1, (void *)2, &other, 0), 3);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0), 0);
    CHECK_EQ(futex(&other, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0), 2);
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    pthread_join(c.thread, NULL);

    /* CMP_REQUEUE: only while the word still holds val3. */
    spawn_waiter(&a, &word, ~0u);
    spawn_waiter(&b, &word, ~0u);
    CHECK_ERR(futex(&word, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, (void *)1, &other, 5), EAGAIN);
    CHECK_EQ(futex(&word, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, (void *)1, &other, 1), 1);
    CHECK_EQ(futex(&other, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0), 1);
    CHECK_EQ(futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 10, NULL, NULL, 0), 1);
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    CHECK_ERR(futex(&word, FUTEX_CMP_REQUEUE, -1, (void *)1, &other, 1), EINVAL);
    CHECK_ERR(futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)-1, &other, 1), EINVAL);

    /* WAKE_OP: other += 3 (old value 5); the comparison old == 5 holds, so its waiter wakes too. */
    other = 5;
    spawn_waiter(&a, &word, ~0u);
    spawn_waiter(&b, &other, ~0u);
    CHECK_EQ(futex(&word, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, &other, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)), 2);
    CHECK_EQ(other, 8);
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    /* A comparison that fails wakes only the first word's waiters. */
    spawn_waiter(&b, &other, ~0u);
    CHECK_EQ(futex(&word, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, &other, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 100)), 0);
    CHECK_EQ(other, 9);
    CHECK_EQ(b.done, 0);
    CHECK_EQ(futex(&other, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 1);
    pthread_join(b.thread, NULL);
    CHECK_ERR(futex(&word, FUTEX_WAKE_OP, 1, (void *)1, (uint32_t *)8, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)), EFAULT);

    /* Errors. */
    struct timespec bad = {0, 2000000000L};
    CHECK_ERR(futex(&word, FUTEX_WAIT, 1, &bad, NULL, 0), EINVAL);
    CHECK_ERR(futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 1, NULL, NULL, 0), EINVAL);
    CHECK_ERR(futex((uint32_t *)8, FUTEX_WAIT, 1, NULL, NULL, 0), EFAULT);
    CHECK_ERR(futex(&word, FUTEX_WAIT, 1, (void *)1, NULL, 0), EFAULT);
    CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0), EINVAL);
    CHECK_ERR(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
    CHECK_ERR(futex(&word, 99, 1, NULL, NULL, 0), ENOSYS);

    /* set_robust_list / get_robust_list. */
    struct robust_head mine = {(struct robust_lock *)&mine, 0, NULL};
    void *saved;
    size_t saved_len;
    CHECK_OK(syscall(SYS_get_robust_list, 0, &saved, &saved_len));
    CHECK_OK(syscall(SYS_set_robust_list, &mine, sizeof mine));
    void *got;
    size_t len = 0;
    CHECK_OK(syscall(SYS_get_robust_list, 0, &got, &len));
    CHECK(got == &mine);
    CHECK_EQ(len, sizeof mine);
    CHECK_OK(syscall(SYS_get_robust_list, syscall(SYS_gettid), &got, &len));
    CHECK(got == &mine);
    CHECK_ERR(syscall(SYS_set_robust_list, &mine, sizeof mine - 1), EINVAL);
    CHECK_ERR(syscall(SYS_get_robust_list, 0x7fffffff, &got, &len), ESRCH);
    CHECK_ERR(syscall(SYS_get_robust_list, 0, (void *)1, &len), EFAULT);
    CHECK_ERR(syscall(SYS_get_robust_list, 0, &got, (void *)1), EFAULT);
    CHECK_OK(syscall(SYS_set_robust_list, saved, saved_len));

    /* A thread that exits holding a lock on its robust list: the word says the owner died,
     * FUTEX_WAITERS is kept. */
    pthread_t t;
    pthread_create(&t, NULL, hold_and_exit, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(lock.word, FUTEX_OWNER_DIED | FUTEX_WAITERS);

    /* The C library's robust mutexes: the next locker gets EOWNERDEAD. */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &attr);
    pthread_create(&t, NULL, lock_and_exit, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(pthread_mutex_lock(&robust), EOWNERDEAD);
    CHECK_EQ(pthread_mutex_consistent(&robust), 0);
    CHECK_EQ(pthread_mutex_unlock(&robust), 0);
    CHECK_EQ(pthread_mutex_lock(&robust), 0);
    CHECK_EQ(pthread_mutex_unlock(&robust), 0);
    return check_done();
}
