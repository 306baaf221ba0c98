/* malloc: a malloc-heavy workload with a fixed pseudo-random sequence: many sizes (1 byte to
 * 1 MiB), realloc growing and shrinking, calloc zeroing, frees in random order. Every block is
 * filled with a pattern and checked before it is freed; the checksum of all checked bytes is
 * printed. Optional argument: number of operations (default 20000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static size_t pick_size(void)
{
    uint64_t r = next();
    switch (r % 8) {
    case 0: return 1 + (r >> 8) % 16;
    case 1: case 2: return 1 + (r >> 8) % 256;
    case 3: case 4: return 1 + (r >> 8) % 4096;
    case 5: return 1 + (r >> 8) % 65536;
    case 6: return (r >> 8) % 3 == 0 ? 1 + (r >> 10) % (1 << 20) : 24;
    default: return 100 + (r >> 8) % 900;
    }
}

struct block { unsigned char *p; size_t size; unsigned char tag; };

static void fill(struct block *b, size_t from)
{
    for (size_t i = from; i < b->size; i++)
        b->p[i] = (unsigned char)(b->tag + i * 7);
}

static int verify(const struct block *b, size_t upto, uint64_t *sum)
{
    for (size_t i = 0; i < upto; i++) {
        if (b->p[i] != (unsigned char)(b->tag + i * 7))
            return 0;
        *sum = *sum * 131 + b->p[i];
    }
    return 1;
}

int main(int argc, char **argv)
{
    long ops = argc > 1 ? atol(argv[1]) : 20000;
    enum { SLOTS = 512 };
    static struct block slots[SLOTS];
    uint64_t sum = 0;
    long mallocs = 0, reallocs = 0, callocs = 0, frees = 0, bad = 0;

    for (long op = 0; op < ops; op++) {
        struct block *b = &slots[next() % SLOTS];
        uint64_t what = next() % 10;
        if (b->p == NULL) {
            b->size = pick_size();
            b->tag = (unsigned char)next();
            if (what < 2) {
                b->p = calloc(b->size, 1);
                for (size_t i = 0; b->p && i < b->size; i++)
                    bad += b->p[i] != 0;
                callocs++;
            } else {
                b->p = malloc(b->size);
                mallocs++;
            }
            if (!b->p) { printf("allocation of %zu failed\n", b->size); return 1; }
            fill(b, 0);
        } else if (what < 4) {
            size_t size = pick_size();
            size_t keep = size < b->size ? size : b->size;
            if (!verify(b, keep, &sum)) bad++;
            unsigned char *p = realloc(b->p, size);
            if (!p) { printf("realloc to %zu failed\n", size); return 1; }
            b->p = p;
            size_t old = b->size;
            b->size = size;
            if (!verify(b, keep, &sum)) bad++;
            if (size > old) fill(b, old);
            reallocs++;
        } else {
            if (!verify(b, b->size, &sum)) bad++;
            free(b->p);
            b->p = NULL;
            frees++;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            if (!verify(&slots[i], slots[i].size, &sum)) bad++;
            free(slots[i].p);
            frees++;
        }
    }
    printf("ops %ld malloc %ld calloc %ld realloc %ld free %ld\n", ops, mallocs, callocs, reallocs, frees);
    printf("checksum %016llx\n", (unsigned long long)sum);
    printf("corrupted %ld\n", bad);
    return bad ? 1 : 0;
}
