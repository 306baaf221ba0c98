/** Bytes of one {@link syscallStub}. */
export const SYSCALL_STUB_SIZE = 8;

/**
 * Machine code of a function that makes system call `nr` and returns its result:
 *
 * ```
 * b8 nn nn nn nn    mov eax, nr    ; zero-extends into rax
 * 0f 05             syscall        ; arguments are already in rdi, rsi, rdx
 * c3                ret
 * ```
 *
 * The C calling convention passes the first three arguments in the registers the syscall
 * reads, and `syscall` clobbers only rcx and r11, both caller-saved, so no other code is needed.
 */
export function syscallStub(nr: number): Uint8Array {
  return Uint8Array.of(0xb8, nr & 0xff, (nr >>> 8) & 0xff, (nr >>> 16) & 0xff, (nr >>> 24) & 0xff, 0x0f, 0x05, 0xc3);
}
