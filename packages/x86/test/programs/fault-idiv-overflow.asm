; 32-bit IDIV of INT32_MIN by -1 (quotient 2^31 does not fit) raises #DE with nothing changed;
; the earlier rounds divide INT32_MIN by 1. The upper halves of rax/rdx hold markers that a
; 32-bit result would have zeroed.
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    ROUNDS rcx, 1, -1
    mov rax, 0x5555555580000000
    mov rdx, 0x66666666ffffffff
    FAULTS_HERE
    idiv ecx
    add rdi, rax
    END_ROUNDS
