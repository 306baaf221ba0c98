/* sys-proc: the kernel's files that programs read: /proc/self/exe (an absolute path to this
 * program), /proc/self/maps (its code, data and stack are inside listed mappings with the right
 * permissions), /proc/meminfo (consistent totals), /sys/devices/system/cpu/online (a CPU range
 * starting at 0). Only what Linux and Nanos share is checked; with a second argument "dump" the
 * raw contents are printed too (the kernel's tests check Nanos's exact formats that way). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include "check.h"

static char text[65536];

/* The whole content of a kernel file (read in small pieces, as the kernel makes them). */
static long slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long n = 0, got;
    while (n < (long)sizeof text - 1 && (got = read(fd, text + n, 100)) > 0) n += got;
    close(fd);
    text[n] = 0;
    return n;
}

/* The permissions of the mapping holding `addr` in /proc/self/maps ("" when none). */
static const char *perms_of(uintptr_t addr) {
    static char perms[8];
    perms[0] = 0;
    for (char *line = text; *line;) {
        unsigned long start, end;
        char p[8];
        if (sscanf(line, "%lx-%lx %4s", &start, &end, p) == 3 && addr >= start && addr < end) {
            strcpy(perms, p);
            break;
        }
        char *next = strchr(line, '\n');
        if (!next) break;
        line = next + 1;
    }
    return perms;
}

static long meminfo(const char *key) {
    char *at = strstr(text, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

int writable_data = 1;

int main(int argc, char **argv) {
    scratch(argc, argv);
    int dump = argc > 2 && strcmp(argv[2], "dump") == 0;
    char target[4096];
    struct stat st;

    /* /proc/self/exe: a symlink to this program, by an absolute path. */
    CHECK_OK(lstat("/proc/self/exe", &st));
    CHECK(S_ISLNK(st.st_mode));
    long n = CHECK_OK(readlink("/proc/self/exe", target, sizeof target - 1));
    target[n < 0 ? 0 : n] = 0;
    CHECK(target[0] == '/');
    CHECK(strstr(target, "sys-proc") != NULL);
    CHECK_OK(stat("/proc/self/exe", &st));
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_size > 0);
    if (dump) printf("exe: %s\n", target);

    /* /proc/self/maps: lines "start-end perms …" that cover this program. */
    CHECK(slurp("/proc/self/maps") > 0);
    int stack_var = 0;
    CHECK(perms_of((uintptr_t)&main)[0] == 'r');
    CHECK(perms_of((uintptr_t)&main)[2] == 'x');
    CHECK(perms_of((uintptr_t)&writable_data)[1] == 'w');
    CHECK(perms_of((uintptr_t)&stack_var)[1] == 'w');
    CHECK(perms_of(0)[0] == 0);
    if (dump) printf("maps:\n%s", text);

    /* /proc/meminfo: MemTotal ≥ MemFree, in kB. */
    CHECK(slurp("/proc/meminfo") > 0);
    long total = meminfo("MemTotal:"), free_kb = meminfo("MemFree:");
    CHECK(total > 0);
    CHECK(free_kb >= 0 && free_kb <= total);
    CHECK(strstr(text, " kB\n") != NULL);
    if (dump) printf("meminfo:\n%s", text);

    /* /sys/devices/system/cpu/online: "0" or "0-N". */
    CHECK(slurp("/sys/devices/system/cpu/online") > 0);
    CHECK(text[0] == '0');
    CHECK(text[strlen(text) - 1] == '\n');
    CHECK_OK(stat("/sys/devices/system/cpu/cpu0", &st));
    CHECK(S_ISDIR(st.st_mode));
    if (dump) printf("online: %s", text);

    /* /proc/self is a directory. */
    CHECK_OK(stat("/proc/self", &st));
    CHECK(S_ISDIR(st.st_mode));
    if (dump && slurp("/proc/mounts") >= 0) printf("mounts:\n%s", text);
    if (dump) printf("cpuinfo: %s\n", open("/proc/cpuinfo", O_RDONLY) < 0 ? strerror(errno) : "present");
    return check_done();
}
