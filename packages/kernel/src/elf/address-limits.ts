// x86-64 memory facts the loader checks segments against (not ELF format numbers).

/** The page size of x86-64 mappings. */
export const PAGE_SIZE = 4096;
/** The lowest address above user space on x86-64 (47-bit canonical lower half). */
export const USER_SPACE_END = 2 ** 47;
