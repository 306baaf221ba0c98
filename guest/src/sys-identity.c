/* sys-identity: who the process is and what it may have. uname (structure only: Nanos reports
 * its own names), getpid and gettid (values differ: only their relations are checked), umask,
 * getrandom and capget, with their error returns. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include "check.h"

#define BAD ((void *)1)

/* <linux/capability.h> (musl-gcc has no kernel headers). */
#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_2 0x20071026
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
struct __user_cap_header_struct { unsigned version; int pid; };
struct __user_cap_data_struct { unsigned effective, permitted, inheritable; };

/* A utsname field: a NUL-terminated string inside its 65 bytes. */
static int terminated(const char *field) { return memchr(field, 0, 65) != NULL; }

static long tid_of_thread;
static void *thread_main(void *arg) {
    tid_of_thread = syscall(SYS_gettid);
    return arg;
}

int main(int argc, char **argv) {
    scratch(argc, argv);

    /* uname: six terminated fields; the machine is x86_64. */
    struct utsname u;
    memset(&u, 0xff, sizeof u);
    CHECK_OK(syscall(SYS_uname, &u));
    CHECK(terminated(u.sysname) && terminated(u.nodename) && terminated(u.release));
    CHECK(terminated(u.version) && terminated(u.machine) && terminated(u.domainname));
    CHECK(u.sysname[0] != 0 && u.release[0] != 0);
    CHECK(strcmp(u.machine, "x86_64") == 0);
    CHECK_ERR(syscall(SYS_uname, BAD), EFAULT);
    CHECK_ERR(syscall(SYS_uname, NULL), EFAULT);

    /* getpid and gettid: the main thread's tid is the pid; another thread has its own. */
    long pid = syscall(SYS_getpid);
    CHECK(pid > 0);
    CHECK_EQ(getpid(), pid);
    CHECK_EQ(syscall(SYS_gettid), pid);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, thread_main, NULL), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK(tid_of_thread > 0 && tid_of_thread != pid);

    /* umask: returns the previous mask; only the permission bits are kept. */
    mode_t old = umask(077);
    CHECK_EQ(umask(027), 077);
    CHECK_EQ(syscall(SYS_umask, 07777), 027);
    CHECK_EQ(umask(old), 0777);

    /* getrandom: fills what was asked, differently each time. */
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK_EQ(syscall(SYS_getrandom, a, sizeof a, 0), 64);
    CHECK_EQ(syscall(SYS_getrandom, b, sizeof b, GRND_NONBLOCK), 64);
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK_EQ(syscall(SYS_getrandom, a, 16, GRND_RANDOM), 16);
    CHECK_EQ(syscall(SYS_getrandom, a, 16, GRND_RANDOM | GRND_NONBLOCK), 16);
    CHECK_EQ(syscall(SYS_getrandom, a, 16, GRND_INSECURE), 16);
    CHECK_EQ(syscall(SYS_getrandom, a, 0, 0), 0);
    static unsigned char big[1 << 20];
    CHECK_EQ(syscall(SYS_getrandom, big, sizeof big, 0), sizeof big);
    int zeros = 0;
    for (unsigned i = sizeof big - 4096; i < sizeof big; i++) zeros += big[i] == 0;
    CHECK(zeros < 100); /* the end of a large buffer is filled too (about 16 zero bytes expected) */
    CHECK_EQ(getrandom(a, 8, 0), 8);
    CHECK_ERR(syscall(SYS_getrandom, a, 8, 0x100), EINVAL);
    CHECK_ERR(syscall(SYS_getrandom, a, 8, GRND_RANDOM | GRND_INSECURE), EINVAL);
    CHECK_ERR(syscall(SYS_getrandom, BAD, 8, 0), EFAULT);
    CHECK_ERR(syscall(SYS_getrandom, NULL, 8, 0), EFAULT);

    /* capget: an unknown version is answered with the preferred one (and EINVAL when data was
     * asked for); each known version works for this process. */
    struct __user_cap_header_struct hdr = {0, 0};
    struct __user_cap_data_struct data[2];
    CHECK_EQ(syscall(SYS_capget, &hdr, NULL), 0);
    CHECK_EQ(hdr.version, _LINUX_CAPABILITY_VERSION_3);
    hdr.version = 0x12345678;
    CHECK_ERR(syscall(SYS_capget, &hdr, data), EINVAL);
    CHECK_EQ(hdr.version, _LINUX_CAPABILITY_VERSION_3);
    static const unsigned versions[] = {_LINUX_CAPABILITY_VERSION_1, _LINUX_CAPABILITY_VERSION_2, _LINUX_CAPABILITY_VERSION_3};
    for (unsigned i = 0; i < 3; i++) {
        hdr.version = versions[i];
        hdr.pid = 0;
        CHECK_EQ(syscall(SYS_capget, &hdr, data), 0);
    }
    hdr.pid = pid;
    CHECK_EQ(syscall(SYS_capget, &hdr, data), 0);
    hdr.pid = 0x7ffffff0;
    CHECK_ERR(syscall(SYS_capget, &hdr, data), ESRCH);
    hdr.pid = -1;
    CHECK_ERR(syscall(SYS_capget, &hdr, data), EINVAL);
    hdr.pid = 0;
    CHECK_ERR(syscall(SYS_capget, BAD, data), EFAULT);
    CHECK_ERR(syscall(SYS_capget, &hdr, BAD), EFAULT);
    return check_done();
}
