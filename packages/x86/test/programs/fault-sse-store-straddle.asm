; A 16-byte MOVDQU store straddling into the unmapped page faults with CR2 = the first unmapped
; byte, error code 6, and writes nothing.
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    lea r15, [rel .store]
    mov ebx, 20
    mov r8d, DATA + 0x1800
    mov r9d, UNMAPPED - 9
    mov rax, 0x0123456789abcdef
    movq xmm0, rax
    punpcklqdq xmm0, xmm0
.loop:
    mov rdi, r8
    cmp rbx, 1
    cmove rdi, r9
    paddq xmm0, xmm0
.store:
    movdqu [rdi], xmm0
    dec rbx
    jnz .loop
    DONE
