// Where a differential test case lives in the address space, natively and in the emulator.
// Every address is below 2^31 so that [disp32] absolute, RIP-relative and 32-bit (0x67)
// addressing can all reach the data page.

/** Page size of every mapped region. */
export const PAGE = 4096;
/** The code page (read + execute): the instruction bytes, then the end marker. */
export const CODE_BASE = 0x1000_0000;
/** The data page (read + write, no execute); the pages around it are unmapped. */
export const DATA_BASE = 0x2000_0000;
/** The stack page (read + write, no execute); RSP starts inside it. */
export const STACK_BASE = 0x3000_0000;
/** Largest instruction-byte count of a case (4 instructions of at most 15 bytes). */
export const MAX_CODE = 60;
/** The end marker: int3, which traps with RIP after it. */
export const END_MARKER = 0xcc;

/** RFLAGS bits the cases set, mask and compare: CF PF AF ZF SF OF and DF. */
export const FLAG = { CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, OF: 0x800, DF: 0x400 } as const;
/** CF | PF | AF | ZF | SF | OF | DF. */
export const COMPARED_FLAGS = 0xcd5;
/** The six arithmetic status flags (CF PF AF ZF SF OF). */
export const STATUS_FLAGS = 0x8d5;
