/* auxv: dumps the initial process stack the kernel built: the stack pointer at entry (argv is
 * at sp+8 and argc at sp), every argv and envp pointer with its string, every auxv entry in
 * order, then the distances between the parts. Addresses are random (ASLR); the structure and
 * the distances are what a loader must reproduce. Lines are "kind fields..." for machines. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *name(unsigned long key)
{
    switch (key) {
    case 0: return "AT_NULL";       case 3: return "AT_PHDR";      case 4: return "AT_PHENT";
    case 5: return "AT_PHNUM";      case 6: return "AT_PAGESZ";    case 7: return "AT_BASE";
    case 8: return "AT_FLAGS";      case 9: return "AT_ENTRY";     case 11: return "AT_UID";
    case 12: return "AT_EUID";      case 13: return "AT_GID";      case 14: return "AT_EGID";
    case 15: return "AT_PLATFORM";  case 16: return "AT_HWCAP";    case 17: return "AT_CLKTCK";
    case 23: return "AT_SECURE";    case 25: return "AT_RANDOM";   case 26: return "AT_HWCAP2";
    case 27: return "AT_RSEQ_FEATURE_SIZE"; case 28: return "AT_RSEQ_ALIGN";
    case 29: return "AT_HWCAP3";    case 30: return "AT_HWCAP4";
    case 31: return "AT_EXECFN";    case 33: return "AT_SYSINFO_EHDR";
    case 51: return "AT_MINSIGSTKSZ";
    default: return "AT_?";
    }
}

int main(int argc, char **argv, char **envp)
{
    uintptr_t sp = (uintptr_t)argv - 8;
    printf("sp 0x%lx\n", (unsigned long)sp);
    printf("argc %ld\n", *(long *)sp);
    int envc = 0;
    while (envp[envc])
        envc++;
    for (int i = 0; i < argc; i++)
        printf("argv %d 0x%lx %s\n", i, (unsigned long)(uintptr_t)argv[i], argv[i]);
    for (int i = 0; i < envc; i++)
        printf("envp %d 0x%lx %s\n", i, (unsigned long)(uintptr_t)envp[i], envp[i]);
    unsigned long *aux = (unsigned long *)(envp + envc + 1);
    uintptr_t random = 0, platform = 0, execfn = 0;
    int n = 0;
    for (;; n++) {
        unsigned long key = aux[2 * n], value = aux[2 * n + 1];
        printf("auxv %lu 0x%lx %s\n", key, value, name(key));
        if (key == 25) random = value;
        if (key == 15) platform = value;
        if (key == 31) execfn = value;
        if (key == 0)
            break;
    }
    uintptr_t aux_end = (uintptr_t)(aux + 2 * (n + 1));
    if (platform)
        printf("string AT_PLATFORM %s\n", (const char *)platform);
    if (execfn)
        printf("string AT_EXECFN %s\n", (const char *)execfn);

    /* distances: the layout rules a loader has to follow */
    printf("distance sp%%16 %lu\n", (unsigned long)(sp % 16));
    printf("distance argv-sp %ld\n", (long)((uintptr_t)argv - sp));
    printf("distance envp-argv %ld\n", (long)((uintptr_t)envp - (uintptr_t)argv));
    printf("distance auxv-envp %ld\n", (long)((uintptr_t)aux - (uintptr_t)envp));
    printf("distance auxv-bytes %ld\n", (long)(aux_end - (uintptr_t)aux));
    if (random)
        printf("distance random-auxvend %ld\n", (long)(random - aux_end));
    if (random && platform)
        printf("distance platform-random %ld\n", (long)(platform - random));
    if (argc > 0 && platform)
        printf("distance argv0-platform %ld (random on Linux)\n", (long)((uintptr_t)argv[0] - platform));
    char *last = envc ? envp[envc - 1] : argv[argc - 1];
    if (execfn)
        printf("distance execfn-laststring %ld\n", (long)(execfn - (uintptr_t)last));
    if (execfn)
        printf("distance top%%4096 %lu\n",
               (unsigned long)((execfn + strlen((const char *)execfn) + 1 + 8) % 4096));
    return 0;
}
