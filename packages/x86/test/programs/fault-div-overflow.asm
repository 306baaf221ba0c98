; 64-bit DIV whose quotient does not fit (rdx >= divisor) raises #DE with nothing changed:
; rdx:rax = (7 << 64) + 0xffff… / 7 on the last of 20 rounds; the earlier rounds have rdx = 0.
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    lea r15, [rel .divide]
    mov ebx, 20
    mov ecx, 7
.loop:
    mov rax, -1
    xor edx, edx
    cmp rbx, 1
    cmove rdx, rcx
.divide:
    div rcx
    add rdi, rax
    dec rbx
    jnz .loop
    DONE
