; A 16-byte MOVDQU store straddling into the unmapped page faults with CR2 = the first unmapped
; byte, error code 6, and writes nothing.
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    mov rax, 0x0123456789abcdef
    movq xmm0, rax
    punpcklqdq xmm0, xmm0
    ROUNDS rdi, DATA + 0x1800, UNMAPPED - 9
    paddq xmm0, xmm0
    FAULTS_HERE
    movdqu [rdi], xmm0
    END_ROUNDS
