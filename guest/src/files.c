/* files: reads and lists files from the image. `files PATH` prints, for a regular file, its
 * size and an FNV-1a checksum of its bytes; for a directory, every entry (sorted by name) with
 * its type, size and checksum, descending into subdirectories up to a depth of 4.
 * Exit code 0 when every path could be read, 1 otherwise. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static int checksum(const char *path, uint64_t *sum, uint64_t *size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    uint64_t h = 0xcbf29ce484222325ull, n = 0;
    unsigned char buf[8192];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        n += (uint64_t)got;
    }
    int err = got < 0 ? -errno : 0;
    close(fd);
    *sum = h;
    *size = n;
    return err;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *path, const char *label, int depth);

static void list_dir(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("%s: cannot open directory: %s\n", path, strerror(errno));
        failures++;
        return;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
        }
        names[count++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    printf("%*sdir %s (%zu entries)\n", depth * 2, "", path, count);
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = malloc(len);
        snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
        show(child, names[i], depth + 1);
        free(child);
        free(names[i]);
    }
    free(names);
}

static void show(const char *path, const char *label, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("%*s%s: cannot stat: %s\n", depth * 2, "", label, strerror(errno));
        failures++;
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth < 4)
            list_dir(path, depth);
        else
            printf("%*sdir %s (not descended)\n", depth * 2, "", label);
    } else if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = 0;
        printf("%*slink %s -> %s\n", depth * 2, "", label, target);
    } else if (S_ISREG(st.st_mode)) {
        uint64_t sum = 0, size = 0;
        int err = checksum(path, &sum, &size);
        if (err) {
            printf("%*sfile %s: cannot read: %s\n", depth * 2, "", label, strerror(-err));
            failures++;
        } else {
            printf("%*sfile %s size %llu fnv1a %016llx%s\n", depth * 2, "", label,
                   (unsigned long long)size, (unsigned long long)sum,
                   size == (uint64_t)st.st_size ? "" : " (size differs from stat)");
        }
    } else {
        printf("%*sother %s mode %o\n", depth * 2, "", label, (unsigned)(st.st_mode & S_IFMT));
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: files PATH...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        show(argv[i], argv[i], 0);
    printf("failures %d\n", failures);
    return failures ? 1 : 0;
}
