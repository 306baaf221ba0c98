; DIV by zero raises #DE at the DIV with every register as before it. The loop divides 1000 by
; 19, 18, … so the block holding the DIV is hot (compiled) before the divisor reaches zero.
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    lea r15, [rel .divide]
    mov ebx, 20
    mov rsi, 0x1122334455667788
.loop:
    mov eax, 1000
    xor edx, edx
    lea rcx, [rbx - 1]
.divide:
    div rcx
    add rdi, rax
    dec rbx
    jnz .loop
    DONE
