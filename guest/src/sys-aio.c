/* sys-aio: Linux native AIO through raw syscalls (no libaio): io_setup, io_submit (PREAD,
 * PWRITE, PREADV, PWRITEV, FSYNC, FDSYNC; IOCB_FLAG_RESFD signalling an eventfd),
 * io_getevents (min_nr, timeouts) and io_destroy, the ring header, and the error returns. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include "check.h"

/* The kernel ABI (linux/aio_abi.h, which musl-gcc does not see). */
typedef unsigned long aio_context_t;
enum { IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3, IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8 };
#define IOCB_FLAG_RESFD 1
struct io_event {
    uint64_t data, obj;
    int64_t res, res2;
};
struct iocb {
    uint64_t aio_data;
    uint32_t aio_key, aio_rw_flags;
    uint16_t aio_lio_opcode;
    int16_t aio_reqprio;
    uint32_t aio_fildes;
    uint64_t aio_buf, aio_nbytes;
    int64_t aio_offset;
    uint64_t aio_reserved2;
    uint32_t aio_flags, aio_resfd;
};

static long io_setup(unsigned nr, aio_context_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long io_destroy(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit(aio_context_t ctx, long n, struct iocb **iocbs) { return syscall(SYS_io_submit, ctx, n, iocbs); }
static long io_getevents(aio_context_t ctx, long min, long max, struct io_event *ev, struct timespec *t) {
    return syscall(SYS_io_getevents, ctx, min, max, ev, t);
}

static struct iocb make(int op, int fd, void *buf, uint64_t n, int64_t off, uint64_t data) {
    struct iocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_lio_opcode = op;
    cb.aio_fildes = fd;
    cb.aio_buf = (uint64_t)(uintptr_t)buf;
    cb.aio_nbytes = n;
    cb.aio_offset = off;
    cb.aio_data = data;
    return cb;
}

static long submit1(aio_context_t ctx, struct iocb *cb) { return io_submit(ctx, 1, &cb); }

int main(int argc, char **argv) {
    scratch(argc, argv);
    aio_context_t ctx = 0;
    struct io_event ev[8];
    struct timespec zero = {0, 0};
    char in[64], out[64];

    /* io_setup: the context is the address of a ring with Linux's header. */
    CHECK_ERR(io_setup(0, &ctx), EINVAL);
    CHECK_ERR(io_setup(8, (void *)1), EFAULT);
    CHECK_ERR(io_setup(100000, &ctx), EAGAIN);     /* over fs.aio-max-nr */
    CHECK_ERR(io_setup(0x7fffffff, &ctx), EINVAL); /* over what a ring may hold */
    CHECK_OK(io_setup(8, &ctx));
    CHECK(ctx != 0);
    aio_context_t busy = ctx;
    CHECK_ERR(io_setup(8, &busy), EINVAL); /* *ctxp must be 0 */
    const uint32_t *ring = (const uint32_t *)ctx;
    CHECK_EQ(ring[4], 0xa10a10a1); /* magic */
    CHECK_EQ(ring[5], 1);          /* compat_features */
    CHECK_EQ(ring[6], 0);          /* incompat_features */
    CHECK_EQ(ring[7], 32);         /* header_length */
    CHECK_EQ(ring[2], ring[3]);    /* head == tail: empty */

    int fd = CHECK_OK(open("aio-file", O_CREAT | O_RDWR | O_TRUNC, 0644));
    int ro = CHECK_OK(open("aio-file", O_RDONLY));

    /* PWRITE then PREAD at offsets; completions carry aio_data, the iocb and the result. */
    memcpy(out, "0123456789abcdef", 16);
    struct iocb w = make(IOCB_CMD_PWRITE, fd, out, 16, 100, 0x1111);
    CHECK_EQ(submit1(ctx, &w), 1);
    CHECK_EQ(io_getevents(ctx, 1, 8, ev, NULL), 1);
    CHECK_EQ(ev[0].data, 0x1111);
    CHECK(ev[0].obj == (uint64_t)(uintptr_t)&w);
    CHECK_EQ(ev[0].res, 16);
    CHECK_EQ(ev[0].res2, 0);
    CHECK_EQ(lseek(fd, 0, SEEK_END), 116);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 116); /* positional: the offset moves only by lseek */
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    memset(in, 0, sizeof in);
    struct iocb r = make(IOCB_CMD_PREAD, ro, in, 10, 104, 0x2222);
    struct iocb r2 = make(IOCB_CMD_PREAD, ro, in + 20, 50, 110, 0x3333); /* short: 6 bytes to EOF */
    struct iocb *both[2] = {&r, &r2};
    CHECK_EQ(io_submit(ctx, 2, both), 2);
    CHECK_EQ(io_getevents(ctx, 2, 8, ev, NULL), 2);
    CHECK_EQ(ev[0].data, 0x2222);
    CHECK_EQ(ev[0].res, 10);
    CHECK_EQ(ev[1].data, 0x3333);
    CHECK_EQ(ev[1].res, 6);
    CHECK(memcmp(in, "456789abcd", 10) == 0);
    CHECK(memcmp(in + 20, "abcdef", 6) == 0);
    CHECK_EQ(io_getevents(ctx, 0, 8, ev, &zero), 0);

    /* Vectored. */
    char a[3] = "AAA", b[5] = "BBBBB", x[4], y[4];
    struct iovec wv[2] = {{a, 3}, {b, 5}};
    struct iocb pw = make(IOCB_CMD_PWRITEV, fd, wv, 2, 0, 4);
    CHECK_EQ(submit1(ctx, &pw), 1);
    struct iovec rv[2] = {{x, 4}, {y, 4}};
    struct iocb pr = make(IOCB_CMD_PREADV, fd, rv, 2, 0, 5);
    CHECK_EQ(submit1(ctx, &pr), 1);
    CHECK_EQ(io_getevents(ctx, 2, 2, ev, NULL), 2);
    CHECK_EQ(ev[0].res, 8);
    CHECK_EQ(ev[1].res, 8);
    CHECK(memcmp(x, "AAAB", 4) == 0 && memcmp(y, "BBBB", 4) == 0);

    /* FSYNC and FDSYNC; they take no buffer. */
    struct iocb fs = make(IOCB_CMD_FSYNC, fd, NULL, 0, 0, 6);
    struct iocb fds = make(IOCB_CMD_FDSYNC, fd, NULL, 0, 0, 7);
    CHECK_EQ(submit1(ctx, &fs), 1);
    CHECK_EQ(submit1(ctx, &fds), 1);
    CHECK_EQ(io_getevents(ctx, 2, 8, ev, NULL), 2);
    CHECK_EQ(ev[0].res, 0);
    CHECK_EQ(ev[1].res, 0);
    struct iocb badfs = make(IOCB_CMD_FSYNC, fd, out, 1, 0, 8);
    CHECK_ERR(submit1(ctx, &badfs), EINVAL);

    /* IOCB_FLAG_RESFD: each completion adds one to the eventfd. */
    int efd = CHECK_OK(eventfd(0, EFD_NONBLOCK));
    struct iocb n1 = make(IOCB_CMD_PREAD, fd, in, 4, 0, 9), n2 = make(IOCB_CMD_PREAD, fd, in, 4, 4, 10);
    n1.aio_flags = n2.aio_flags = IOCB_FLAG_RESFD;
    n1.aio_resfd = n2.aio_resfd = efd;
    struct iocb *two[2] = {&n1, &n2};
    CHECK_EQ(io_submit(ctx, 2, two), 2);
    uint64_t count = 0;
    CHECK_EQ(read(efd, &count, 8), 8);
    CHECK_EQ(count, 2);
    CHECK_EQ(io_getevents(ctx, 2, 8, ev, NULL), 2);
    n1.aio_resfd = fd; /* not an eventfd */
    CHECK_ERR(submit1(ctx, &n1), EINVAL);
    n1.aio_resfd = 9999;
    CHECK_ERR(submit1(ctx, &n1), EBADF);

    /* A bad buffer is the operation's result, not the submission's. */
    struct iocb bad = make(IOCB_CMD_PREAD, fd, (void *)1, 4, 0, 11);
    CHECK_EQ(submit1(ctx, &bad), 1);
    CHECK_EQ(io_getevents(ctx, 1, 1, ev, NULL), 1);
    CHECK_EQ(ev[0].res, -EFAULT);

    /* io_submit errors: the first failure is the call's; after a success, the count. */
    struct iocb ok = make(IOCB_CMD_PREAD, fd, in, 1, 0, 12);
    struct iocb wrongdir = make(IOCB_CMD_PWRITE, ro, out, 1, 0, 13);
    CHECK_ERR(submit1(ctx, &wrongdir), EBADF);
    struct iocb *mixed[2] = {&ok, &wrongdir};
    CHECK_EQ(io_submit(ctx, 2, mixed), 1);
    CHECK_EQ(io_getevents(ctx, 1, 8, ev, NULL), 1);
    struct iocb badfd = make(IOCB_CMD_PREAD, 9999, in, 1, 0, 14);
    CHECK_ERR(submit1(ctx, &badfd), EBADF);
    struct iocb badop = make(99, fd, in, 1, 0, 15);
    CHECK_ERR(submit1(ctx, &badop), EINVAL);
    struct iocb reserved = make(IOCB_CMD_PREAD, fd, in, 1, 0, 16);
    reserved.aio_reserved2 = 1;
    CHECK_ERR(submit1(ctx, &reserved), EINVAL);
    struct iocb negative = make(IOCB_CMD_PREAD, fd, in, 1, -1, 17);
    CHECK_ERR(submit1(ctx, &negative), EINVAL);
    CHECK_ERR(io_submit(ctx, 1, (void *)1), EFAULT);
    struct iocb *badptr = (void *)1;
    CHECK_ERR(io_submit(ctx, 1, &badptr), EFAULT);
    CHECK_ERR(io_submit(ctx, -1, both), EINVAL);
    CHECK_EQ(io_submit(ctx, 0, both), 0);
    CHECK_ERR(io_submit(12345, 1, both), EINVAL);

    /* io_getevents errors and timeouts. */
    CHECK_ERR(io_getevents(ctx, 2, 1, ev, NULL), EINVAL);
    CHECK_ERR(io_getevents(ctx, -1, 1, ev, NULL), EINVAL);
    CHECK_ERR(io_getevents(12345, 0, 1, ev, &zero), EINVAL);
    CHECK_ERR(io_getevents(ctx, 0, 1, ev, (void *)1), EFAULT);
    struct timespec odd = {0, 1000000000}; /* not checked, as Linux does not */
    CHECK_EQ(io_getevents(ctx, 0, 1, ev, &odd), 0);
    struct timespec shortwait = {0, 20000000};
    CHECK_EQ(io_getevents(ctx, 1, 1, ev, &shortwait), 0);
    /* A timeout returns what is there, even fewer than min_nr. */
    struct iocb one = make(IOCB_CMD_PREAD, fd, in, 2, 0, 18);
    CHECK_EQ(submit1(ctx, &one), 1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(io_getevents(ctx, 2, 8, ev, &shortwait), 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec) >= 19000000);
    CHECK_EQ(ev[0].data, 18);
    CHECK_EQ(ev[0].res, 2);
    CHECK_EQ(submit1(ctx, &ok), 1);
    CHECK_ERR(io_getevents(ctx, 1, 1, (void *)1, NULL), EFAULT);

    /* io_destroy: the context is gone. */
    CHECK_OK(io_destroy(ctx));
    CHECK_ERR(io_destroy(ctx), EINVAL);
    CHECK_ERR(submit1(ctx, &ok), EINVAL);
    CHECK_OK(close(efd));
    CHECK_OK(close(fd));
    CHECK_OK(close(ro));
    return check_done();
}
