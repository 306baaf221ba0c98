; A load from a non-canonical address (bit 47 set, bits 63..48 clear) raises #GP(0), not #PF,
; with registers as before.
; EXPECT-FAULT: GP
%include "harness.inc"
BEGIN
    ROUNDS rsi, DATA + 0x1800, 0x0000800000000000
    FAULTS_HERE
    mov rax, [rsi]
    add rdi, rax
    END_ROUNDS
