/* mmap: private and shared file mappings. A shared writable mapping's stores reach the file
 * (seen by read after munmap and after msync); a private mapping's stores do not; an anonymous
 * mapping is zeroed; mprotect makes a page read-only. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, 8192) != 0) { perror("setup"); return 1; }
    char *shared = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *private_ = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (shared == MAP_FAILED || private_ == MAP_FAILED) { perror("mmap"); return 1; }
    strcpy(shared + 4096, "through the shared mapping");
    strcpy(private_, "only in the private copy");
    msync(shared, 8192, MS_SYNC);
    char buf[64] = { 0 };
    pread(fd, buf, 26, 4096);
    printf("after msync: %s\n", buf);
    strcpy(shared, "first page, written before munmap");
    munmap(shared, 8192);
    memset(buf, 0, sizeof buf);
    pread(fd, buf, 33, 0);
    printf("after munmap: %s\n", buf);
    printf("private copy: %s\n", private_);
    unsigned char *anon = mmap(0, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int zero = 1;
    for (int i = 0; i < 65536; i++) zero &= anon[i] == 0;
    printf("anonymous zeroed: %d\n", zero);
    printf("mprotect: %d\n", mprotect(anon, 4096, PROT_READ));
    close(fd);
    unlink("/tmp/mapped");
    return 0;
}
