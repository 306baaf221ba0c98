/* sys-uring: io_uring through raw syscalls (no liburing): io_uring_setup (params, sizes,
 * errors), the rings mapped with IORING_OFF_SQ_RING/CQ_RING/SQES, io_uring_enter (to_submit,
 * min_complete, IORING_ENTER_GETEVENTS), io_uring_register (buffers, files, eventfd), and the
 * opcodes NOP, READ/WRITE (also at the file position), READV/WRITEV, READ_FIXED/WRITE_FIXED,
 * FSYNC, POLL_ADD/POLL_REMOVE, TIMEOUT/TIMEOUT_REMOVE, CLOSE; errors come back in CQEs. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include "check.h"

/* The kernel ABI (linux/io_uring.h, which musl-gcc does not see). */
struct sq_offsets { uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1; uint64_t user_addr; };
struct cq_offsets { uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1; uint64_t user_addr; };
struct params {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
    struct sq_offsets sq_off;
    struct cq_offsets cq_off;
};
struct sqe {
    uint8_t opcode, flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off, addr;
    uint32_t len, op_flags;
    uint64_t user_data;
    uint16_t buf_index, personality;
    int32_t file_index;
    uint64_t addr3, pad;
};
struct cqe { uint64_t user_data; int32_t res; uint32_t flags; };
struct kts { int64_t sec, nsec; };
enum { OP_NOP = 0, OP_READV = 1, OP_WRITEV = 2, OP_FSYNC = 3, OP_READ_FIXED = 4, OP_WRITE_FIXED = 5, OP_POLL_ADD = 6,
       OP_POLL_REMOVE = 7, OP_TIMEOUT = 11, OP_TIMEOUT_REMOVE = 12, OP_CLOSE = 19, OP_READ = 22, OP_WRITE = 23 };
#define OFF_SQ_RING 0ULL
#define OFF_CQ_RING 0x8000000ULL
#define OFF_SQES 0x10000000ULL
#define SETUP_CQSIZE (1U << 3)
#define FEAT_SINGLE_MMAP 1U
#define ENTER_GETEVENTS 1U
#define SQE_FIXED_FILE 1U
#define SQE_IO_LINK 4U
enum { REG_BUFFERS = 0, UNREG_BUFFERS = 1, REG_FILES = 2, UNREG_FILES = 3, REG_EVENTFD = 4, UNREG_EVENTFD = 5 };

static long setup(unsigned entries, struct params *p) { return syscall(SYS_io_uring_setup, entries, p); }
static long enter(int fd, unsigned submit, unsigned min, unsigned flags) { return syscall(SYS_io_uring_enter, fd, submit, min, flags, NULL, 0); }
static long reg(int fd, unsigned op, void *arg, unsigned n) { return syscall(SYS_io_uring_register, fd, op, arg, n); }

/* One ring, mapped. */
static int ring;
static struct params p;
static uint8_t *sq, *cq;
static struct sqe *sqes;

static struct sqe *prep(int op, int fd, const void *addr, unsigned len, uint64_t off, uint64_t data) {
    uint32_t tail = *(uint32_t *)(sq + p.sq_off.tail);
    uint32_t mask = *(uint32_t *)(sq + p.sq_off.ring_mask);
    struct sqe *e = &sqes[tail & mask];
    memset(e, 0, sizeof *e);
    e->opcode = op;
    e->fd = fd;
    e->addr = (uint64_t)(uintptr_t)addr;
    e->len = len;
    e->off = off;
    e->user_data = data;
    ((uint32_t *)(sq + p.sq_off.array))[tail & mask] = tail & mask;
    __atomic_store_n((uint32_t *)(sq + p.sq_off.tail), tail + 1, __ATOMIC_RELEASE);
    return e;
}

/* Takes the next completion; 0 when there is none. */
static int reap(struct cqe *out) {
    uint32_t *head = (uint32_t *)(cq + p.cq_off.head);
    uint32_t tail = __atomic_load_n((uint32_t *)(cq + p.cq_off.tail), __ATOMIC_ACQUIRE);
    if (*head == tail) return 0;
    uint32_t mask = *(uint32_t *)(cq + p.cq_off.ring_mask);
    *out = ((struct cqe *)(cq + p.cq_off.cqes))[*head & mask];
    __atomic_store_n(head, *head + 1, __ATOMIC_RELEASE);
    return 1;
}

/* Completions come in any order (Linux may finish a later entry first): results by user_data. */
static int32_t res[64];
static int got[64];

/* Takes every completion there is; returns how many. */
static int collect(void) {
    struct cqe c;
    int n = 0;
    memset(got, 0, sizeof got);
    while (reap(&c)) {
        if (getenv("DBG")) printf("cqe %llu %d\n", (unsigned long long)c.user_data, c.res);
        if (c.user_data < 64) {
            res[c.user_data] = c.res;
            got[c.user_data]++;
        }
        n++;
    }
    return n;
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    scratch(argc, argv);
    struct cqe c;

    /* Setup errors. */
    memset(&p, 0, sizeof p);
    CHECK_ERR(setup(0, &p), EINVAL);
    CHECK_ERR(setup(4, (void *)1), EFAULT);
    CHECK_ERR(setup(65536, &p), EINVAL);
    p.flags = 1U << 30;
    CHECK_ERR(setup(4, &p), EINVAL);
    memset(&p, 0, sizeof p);
    p.resv[1] = 1;
    CHECK_ERR(setup(4, &p), EINVAL);
    memset(&p, 0, sizeof p);
    p.flags = SETUP_CQSIZE;
    p.cq_entries = 2;
    CHECK_ERR(setup(4, &p), EINVAL);
    p.cq_entries = 0;
    CHECK_ERR(setup(4, &p), EINVAL);

    /* Sizes: powers of two, twice as many CQ entries unless asked. */
    memset(&p, 0, sizeof p);
    p.flags = SETUP_CQSIZE;
    p.cq_entries = 20;
    int other = CHECK_OK(setup(5, &p));
    CHECK_EQ(p.sq_entries, 8);
    CHECK_EQ(p.cq_entries, 32);
    CHECK_OK(close(other));
    memset(&p, 0, sizeof p);
    ring = CHECK_OK(setup(4, &p));
    CHECK_EQ(p.sq_entries, 4);
    CHECK_EQ(p.cq_entries, 8);
    CHECK(p.features & FEAT_SINGLE_MMAP);
    CHECK_EQ(fcntl(ring, F_GETFD), FD_CLOEXEC);

    /* The rings: one mapping serves both (IORING_FEAT_SINGLE_MMAP); the SQEs are another. */
    size_t sq_size = p.sq_off.array + p.sq_entries * 4, cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct cqe);
    size_t size = sq_size > cq_size ? sq_size : cq_size;
    sq = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, OFF_SQ_RING);
    CHECK(sq != MAP_FAILED);
    cq = sq;
    sqes = mmap(NULL, p.sq_entries * sizeof(struct sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, OFF_SQES);
    CHECK(sqes != MAP_FAILED);
    CHECK_EQ(*(uint32_t *)(sq + p.sq_off.ring_mask), 3);
    CHECK_EQ(*(uint32_t *)(sq + p.sq_off.ring_entries), 4);
    CHECK_EQ(*(uint32_t *)(cq + p.cq_off.ring_mask), 7);
    CHECK_EQ(*(uint32_t *)(cq + p.cq_off.ring_entries), 8);
    /* A second view of the CQ ring shows the same memory. */
    uint8_t *cq2 = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring, OFF_CQ_RING);
    CHECK(cq2 != MAP_FAILED);

    /* NOP: submitted, completed, seen in both views. */
    prep(OP_NOP, -1, NULL, 0, 0, 42);
    CHECK_EQ(enter(ring, 1, 1, ENTER_GETEVENTS), 1);
    CHECK_EQ(*(uint32_t *)(cq2 + p.cq_off.tail), *(uint32_t *)(cq + p.cq_off.tail));
    CHECK(reap(&c));
    CHECK_EQ(c.user_data, 42);
    CHECK_EQ(c.res, 0);
    CHECK(!reap(&c));
    CHECK_EQ(*(uint32_t *)(sq + p.sq_off.head), *(uint32_t *)(sq + p.sq_off.tail));
    CHECK_EQ(enter(ring, 4, 0, 0), 0); /* nothing queued */

    /* WRITE and READ at offsets; then at the file position (off = -1), which moves. */
    int fd = CHECK_OK(open("uring-file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    char buf[64];
    prep(OP_WRITE, fd, "hello, uring", 12, 0, 1)->flags = SQE_IO_LINK; /* the read waits for it */
    prep(OP_READ, fd, buf, 5, 7, 2);
    CHECK_EQ(enter(ring, 2, 2, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 2);
    CHECK_EQ(res[1], 12);
    CHECK_EQ(res[2], 5);
    CHECK(memcmp(buf, "uring", 5) == 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
    prep(OP_READ, fd, buf, 7, (uint64_t)-1, 3);
    CHECK_EQ(enter(ring, 1, 1, ENTER_GETEVENTS), 1);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[3], 7);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);

    /* WRITEV and READV. */
    struct iovec wv[2] = {{"abc", 3}, {"defg", 4}};
    char x[3], y[4];
    struct iovec rv[2] = {{x, 3}, {y, 4}};
    prep(OP_WRITEV, fd, wv, 2, 100, 4)->flags = SQE_IO_LINK;
    prep(OP_READV, fd, rv, 2, 100, 5);
    CHECK_EQ(enter(ring, 2, 2, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 2);
    CHECK_EQ(res[4], 7);
    CHECK_EQ(res[5], 7);
    CHECK(memcmp(x, "abc", 3) == 0 && memcmp(y, "defg", 4) == 0);

    /* Registered buffers: READ_FIXED/WRITE_FIXED inside them; outside is EFAULT. */
    static char fixed[2][128];
    struct iovec bufs[2] = {{fixed[0], 128}, {fixed[1], 128}};
    CHECK_ERR(reg(ring, REG_BUFFERS, bufs, 0), EINVAL);
    CHECK_ERR(reg(ring, UNREG_BUFFERS, NULL, 0), ENXIO);
    CHECK_OK(reg(ring, REG_BUFFERS, bufs, 2));
    CHECK_ERR(reg(ring, REG_BUFFERS, bufs, 2), EBUSY);
    memcpy(fixed[1], "FIXED", 5);
    struct sqe *wf = prep(OP_WRITE_FIXED, fd, fixed[1], 5, 200, 6);
    wf->buf_index = 1;
    wf->flags = SQE_IO_LINK;
    prep(OP_READ_FIXED, fd, fixed[0] + 10, 5, 200, 7)->buf_index = 0;
    prep(OP_READ_FIXED, fd, fixed[0] + 100, 50, 200, 8)->buf_index = 0;
    CHECK_EQ(enter(ring, 3, 3, ENTER_GETEVENTS), 3);
    CHECK_EQ(collect(), 3);
    CHECK_EQ(res[6], 5);
    CHECK_EQ(res[7], 5);
    CHECK(memcmp(fixed[0] + 10, "FIXED", 5) == 0);
    CHECK_EQ(res[8], -EFAULT);
    CHECK_OK(reg(ring, UNREG_BUFFERS, NULL, 0));

    /* FSYNC; errors while an entry runs are its completion's result. */
    prep(OP_FSYNC, fd, NULL, 0, 0, 9)->flags = SQE_IO_LINK;
    prep(OP_READ, fd, (void *)1, 4, 0, 11);
    prep(OP_READ, 9999, buf, 4, 0, 12);
    CHECK_EQ(enter(ring, 3, 3, ENTER_GETEVENTS), 3);
    CHECK_EQ(collect(), 3);
    CHECK_EQ(res[9], 0);
    CHECK_EQ(res[11], -EFAULT);
    CHECK_EQ(res[12], -EBADF);
    /* A linked entry that fails cancels the rest of its chain; the next chain runs. */
    prep(OP_READ, fd, (void *)1, 4, 0, 40)->flags = SQE_IO_LINK;
    prep(OP_NOP, -1, NULL, 0, 0, 41)->flags = SQE_IO_LINK;
    prep(OP_NOP, -1, NULL, 0, 0, 42);
    prep(OP_NOP, -1, NULL, 0, 0, 43);
    CHECK_EQ(enter(ring, 4, 4, ENTER_GETEVENTS), 4);
    CHECK_EQ(collect(), 4);
    CHECK_EQ(res[40], -EFAULT);
    CHECK_EQ(res[41], -ECANCELED);
    CHECK_EQ(res[42], -ECANCELED);
    CHECK_EQ(res[43], 0);

    /* An entry that fails its checks ends the batch: it counts, the rest waits for the next call. */
    prep(OP_NOP, -1, NULL, 0, 0, 13);
    prep(OP_FSYNC, fd, NULL, 0, 0, 10)->op_flags = 0x80;
    prep(OP_NOP, -1, NULL, 0, 0, 14);
    CHECK_EQ(enter(ring, 3, 3, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 2);
    CHECK_EQ(res[13], 0);
    CHECK_EQ(res[10], -EINVAL);
    CHECK_EQ(enter(ring, 1, 1, ENTER_GETEVENTS), 1);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[14], 0);
    prep(OP_NOP, -1, NULL, 0, 0, 13)->opcode = 200;
    CHECK_EQ(enter(ring, 1, 1, ENTER_GETEVENTS), 1);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[13], -EINVAL);

    /* POLL_ADD waits for readiness; POLL_REMOVE cancels. */
    int pp[2];
    CHECK_OK(pipe(pp));
    /* A read of an empty pipe completes when data comes. */
    prep(OP_READ, pp[0], buf, 10, 0, 44);
    CHECK_EQ(enter(ring, 1, 0, 0), 1);
    CHECK_EQ(collect(), 0);
    CHECK_EQ(write(pp[1], "late", 4), 4);
    CHECK_EQ(enter(ring, 0, 1, ENTER_GETEVENTS), 0);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[44], 4);
    CHECK(memcmp(buf, "late", 4) == 0);
    prep(OP_POLL_ADD, pp[0], NULL, 0, 0, 14)->op_flags = POLLIN;
    CHECK_EQ(enter(ring, 1, 0, 0), 1);
    CHECK_EQ(collect(), 0);
    CHECK_EQ(write(pp[1], "z", 1), 1);
    CHECK_EQ(enter(ring, 0, 1, ENTER_GETEVENTS), 0);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[14], POLLIN);
    prep(OP_POLL_ADD, pp[1], NULL, 0, 0, 15)->op_flags = POLLOUT; /* ready now */
    CHECK_EQ(enter(ring, 1, 1, ENTER_GETEVENTS), 1);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[15], POLLOUT);
    CHECK_EQ(read(pp[0], buf, 1), 1);
    prep(OP_POLL_ADD, pp[0], NULL, 0, 0, 16)->op_flags = POLLIN;
    CHECK_EQ(enter(ring, 1, 0, 0), 1);
    prep(OP_POLL_REMOVE, -1, (void *)16, 0, 0, 17);
    prep(OP_POLL_REMOVE, -1, (void *)99, 0, 0, 18);
    CHECK_EQ(enter(ring, 2, 3, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 3);
    CHECK_EQ(res[16], -ECANCELED);
    CHECK_EQ(res[17], 0);
    CHECK_EQ(res[18], -ENOENT);

    /* TIMEOUT: ETIME when it passes (enter waits for it); 0 after its count of completions. */
    struct kts ts = {0, 20000000};
    prep(OP_TIMEOUT, -1, &ts, 1, 0, 19);
    long long start = now_ms();
    CHECK_EQ(enter(ring, 1, 1, ENTER_GETEVENTS), 1);
    CHECK(now_ms() - start >= 19);
    CHECK_EQ(collect(), 1);
    CHECK_EQ(res[19], -ETIME);
    struct kts long_ts = {10, 0};
    prep(OP_TIMEOUT, -1, &long_ts, 1, 1, 20);
    prep(OP_NOP, -1, NULL, 0, 0, 21);
    CHECK_EQ(enter(ring, 2, 2, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 2);
    CHECK_EQ(res[21], 0);
    CHECK_EQ(res[20], 0);
    prep(OP_TIMEOUT, -1, &long_ts, 1, 0, 22);
    CHECK_EQ(enter(ring, 1, 0, 0), 1);
    prep(OP_TIMEOUT_REMOVE, -1, (void *)22, 0, 0, 23);
    prep(OP_TIMEOUT_REMOVE, -1, (void *)98, 0, 0, 24);
    prep(OP_TIMEOUT, -1, &ts, 2, 0, 25);
    CHECK_EQ(enter(ring, 3, 4, ENTER_GETEVENTS), 3);
    CHECK_EQ(collect(), 4);
    CHECK_EQ(res[22], -ECANCELED);
    CHECK_EQ(res[23], 0);
    CHECK_EQ(res[24], -ENOENT);
    CHECK_EQ(res[25], -EINVAL);

    /* A registered eventfd counts completions. */
    int efd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
    CHECK_ERR(reg(ring, REG_EVENTFD, &efd, 2), EINVAL);
    CHECK_ERR(reg(ring, REG_EVENTFD, &fd, 1), EINVAL);
    CHECK_OK(reg(ring, REG_EVENTFD, &efd, 1));
    CHECK_ERR(reg(ring, REG_EVENTFD, &efd, 1), EBUSY);
    prep(OP_NOP, -1, NULL, 0, 0, 26);
    prep(OP_NOP, -1, NULL, 0, 0, 27);
    CHECK_EQ(enter(ring, 2, 2, ENTER_GETEVENTS), 2);
    uint64_t count = 0;
    CHECK_EQ(read(efd, &count, 8), 8);
    CHECK(count >= 1); /* Linux signals once per batch of completions */
    CHECK_EQ(collect(), 2);
    CHECK_OK(reg(ring, UNREG_EVENTFD, NULL, 0));
    CHECK_ERR(reg(ring, UNREG_EVENTFD, NULL, 0), ENXIO);

    /* Registered files: IOSQE_FIXED_FILE indexes them; an empty slot is EBADF. */
    int files[2] = {pp[1], -1};
    CHECK_ERR(reg(ring, REG_FILES, files, 0), EINVAL);
    int badfiles[1] = {9999};
    CHECK_ERR(reg(ring, REG_FILES, badfiles, 1), EBADF);
    CHECK_OK(reg(ring, REG_FILES, files, 2));
    CHECK_ERR(reg(ring, REG_FILES, files, 2), EBUSY);
    prep(OP_WRITE, 0, "fx", 2, 0, 28)->flags = SQE_FIXED_FILE;
    prep(OP_WRITE, 1, "fx", 2, 0, 29)->flags = SQE_FIXED_FILE;
    CHECK_EQ(enter(ring, 2, 2, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 2);
    CHECK_EQ(res[28], 2);
    CHECK_EQ(res[29], -EBADF);
    CHECK_EQ(read(pp[0], buf, sizeof buf), 2);
    CHECK_OK(reg(ring, UNREG_FILES, NULL, 0));
    CHECK_ERR(reg(ring, UNREG_FILES, NULL, 0), ENXIO);

    /* CLOSE closes an fd. */
    int victim = CHECK_OK(dup(fd));
    prep(OP_CLOSE, victim, NULL, 0, 0, 30);
    prep(OP_CLOSE, 9999, NULL, 0, 0, 31);
    CHECK_EQ(enter(ring, 2, 2, ENTER_GETEVENTS), 2);
    CHECK_EQ(collect(), 2);
    CHECK_EQ(res[30], 0);
    CHECK_EQ(res[31], -EBADF);
    CHECK_ERR(fcntl(victim, F_GETFD), EBADF);

    /* Call errors. */
    CHECK_ERR(enter(9999, 0, 0, 0), EBADF);
    CHECK_ERR(enter(fd, 0, 0, 0), EOPNOTSUPP);
    CHECK_ERR(enter(ring, 0, 0, 1U << 20), EINVAL);
    CHECK_ERR(reg(fd, UNREG_FILES, NULL, 0), EOPNOTSUPP);
    CHECK_ERR(reg(9999, UNREG_FILES, NULL, 0), EBADF);
    CHECK_ERR(reg(ring, 9999, NULL, 0), EINVAL);

    CHECK_OK(munmap(sq, size));
    CHECK_OK(munmap(cq2, cq_size));
    CHECK_OK(munmap(sqes, p.sq_entries * sizeof(struct sqe)));
    CHECK_OK(close(ring));
    CHECK_OK(close(fd));
    CHECK_OK(close(efd));
    CHECK_OK(close(pp[0]));
    CHECK_OK(close(pp[1]));
    return check_done();
}
