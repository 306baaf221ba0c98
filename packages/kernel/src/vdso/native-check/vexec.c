// vexec VDSO PROGRAM [ARGS...]: runs a static, or non-PIE dynamic, x86-64 program in this
// process with VDSO (an image file) mapped read+execute and named by AT_SYSINFO_EHDR, in place
// of the host kernel's vDSO, so the program's own C library or runtime finds and calls it.
// A development check only; it trusts its input.
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static unsigned char *slurp(const char *path, size_t *size) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) { perror(path); exit(127); }
  unsigned char *bytes = malloc(st.st_size);
  if (read(fd, bytes, st.st_size) != st.st_size) { perror(path); exit(127); }
  close(fd);
  *size = st.st_size;
  return bytes;
}

/* Maps the PT_LOAD segments of an ELF at `bias` (RWX: this is a test loader); returns AT_PHDR. */
static unsigned long load(const unsigned char *file, unsigned long bias) {
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
  unsigned long phdr = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type != PT_LOAD) continue;
    unsigned long start = bias + (ph[i].p_vaddr & ~4095UL);
    unsigned long end = bias + ((ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095UL);
    void *at = mmap((void *)start, end - start, PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (at != (void *)start) { perror("mmap segment"); exit(127); }
    memcpy((void *)(bias + ph[i].p_vaddr), file + ph[i].p_offset, ph[i].p_filesz);
    if (ph[i].p_offset == 0) phdr = bias + ph[i].p_vaddr + eh->e_phoff;
  }
  return phdr;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: vexec VDSO PROGRAM [ARGS...]\n"); return 127; }
  size_t vdso_size, prog_size;
  unsigned char *vdso_file = slurp(argv[1], &vdso_size), *prog = slurp(argv[2], &prog_size);

  size_t vdso_map = (vdso_size + 4095) & ~4095UL;
  unsigned char *vdso = mmap(0, vdso_map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(vdso, vdso_file, vdso_size);
  mprotect(vdso, vdso_map, PROT_READ | PROT_EXEC);
  fprintf(stderr, "vexec: vDSO at %p..%p\n", (void *)vdso, (void *)(vdso + vdso_map));

  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)prog;
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(prog + eh->e_phoff);
  unsigned long phdr = load(prog, 0), entry = eh->e_entry, base = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type != PT_INTERP) continue;
    size_t interp_size;
    unsigned char *interp = slurp((const char *)prog + ph[i].p_offset, &interp_size);
    base = 0x7e0000000000UL;
    load(interp, base);
    entry = base + ((const Elf64_Ehdr *)interp)->e_entry;
  }

  /* The initial stack: strings at the top, then argc, argv, envp and auxv below them. */
  size_t stack_size = 8 << 20;
  char *top = (char *)mmap(0, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) + stack_size;
  int nargs = argc - 2, nenv = 0;
  while (environ[nenv]) nenv++;
  char **args = malloc(sizeof(char *) * nargs), **env = malloc(sizeof(char *) * (nenv + 1));
  for (int i = 0; i < nargs; i++) { size_t n = strlen(argv[i + 2]) + 1; top -= n; memcpy(top, argv[i + 2], n); args[i] = top; }
  for (int i = 0; i < nenv; i++) { size_t n = strlen(environ[i]) + 1; top -= n; memcpy(top, environ[i], n); env[i] = top; }
  top -= 16; memcpy(top, "0123456789abcdef", 16);
  char *random = top;
  top -= 8; strcpy(top, "x86_64");
  char *platform = top;
  unsigned long auxv[][2] = {
      {AT_PHDR, phdr}, {AT_PHENT, sizeof(Elf64_Phdr)}, {AT_PHNUM, eh->e_phnum}, {AT_PAGESZ, 4096},
      {AT_BASE, base}, {AT_FLAGS, 0}, {AT_ENTRY, eh->e_entry}, {AT_UID, getuid()}, {AT_EUID, geteuid()},
      {AT_GID, getgid()}, {AT_EGID, getegid()}, {AT_SECURE, 0}, {AT_RANDOM, (unsigned long)random},
      {AT_HWCAP, getauxval(AT_HWCAP)}, {AT_HWCAP2, getauxval(AT_HWCAP2)}, {AT_CLKTCK, 100},
      {AT_PLATFORM, (unsigned long)platform}, {AT_EXECFN, (unsigned long)args[0]},
      {AT_SYSINFO_EHDR, (unsigned long)vdso}, {AT_NULL, 0}};
  size_t words = 1 + nargs + 1 + nenv + 1 + 2 * (sizeof auxv / sizeof auxv[0]);
  unsigned long *sp = (unsigned long *)(((unsigned long)top - 8 * words) & ~15UL), *w = sp;
  *w++ = nargs;
  for (int i = 0; i < nargs; i++) *w++ = (unsigned long)args[i];
  *w++ = 0;
  for (int i = 0; i < nenv; i++) *w++ = (unsigned long)env[i];
  *w++ = 0;
  memcpy(w, auxv, sizeof auxv);
  /* As the kernel starts a program: rsp at argc, rdx (the atexit hook) zero. */
  __asm__ volatile("mov %0, %%rsp\n\txor %%edx, %%edx\n\tjmp *%1" ::"r"(sp), "r"(entry) : "memory");
  return 127;
}
