; 32-bit IDIV of INT32_MIN by -1 (quotient 2^31 does not fit) raises #DE with nothing changed;
; the earlier rounds divide INT32_MIN by 1. The upper halves of rax/rdx hold markers that a
; 32-bit result would have zeroed.
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    lea r15, [rel .divide]
    mov ebx, 20
    mov r8d, 1
    mov r9, -1
.loop:
    mov rax, 0x5555555580000000
    mov rdx, 0x66666666ffffffff
    mov rcx, r8
    cmp rbx, 1
    cmove rcx, r9
.divide:
    idiv ecx
    add rdi, rax
    dec rbx
    jnz .loop
    DONE
