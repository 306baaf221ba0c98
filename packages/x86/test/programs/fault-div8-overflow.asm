; 8-bit DIV of ax = 0x1000 by 0x10 (quotient 0x100 does not fit in al) raises #DE with nothing
; changed; earlier rounds divide by 0x20 (quotient 0x80).
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    lea r15, [rel .divide]
    mov ebx, 20
    mov r8d, 0x20
    mov r9d, 0x10
.loop:
    mov rax, 0x7777777777771000
    mov rcx, r8
    cmp rbx, 1
    cmove rcx, r9
.divide:
    div cl
    add rdi, rax
    dec rbx
    jnz .loop
    DONE
