; 64-bit DIV whose quotient does not fit (rdx >= divisor) raises #DE with nothing changed:
; rdx:rax = (7 << 64) + 0xffff… / 7 in the last round; the earlier rounds have rdx = 0.
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    mov ecx, 7
    ROUNDS rdx, 0, 7
    mov rax, -1
    FAULTS_HERE
    div rcx
    add rdi, rax
    END_ROUNDS
