; 8-bit DIV of ax = 0x1000 by 0x10 (quotient 0x100 does not fit in al) raises #DE with nothing
; changed; earlier rounds divide by 0x20 (quotient 0x80).
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    ROUNDS rcx, 0x20, 0x10
    mov rax, 0x7777777777771000
    FAULTS_HERE
    div cl
    add rdi, rax
    END_ROUNDS
