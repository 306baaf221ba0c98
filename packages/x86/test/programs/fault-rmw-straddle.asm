; A read-modify-write ADD straddling into the unmapped page faults before writing anything, with
; CR2 = the first unmapped byte. The error code is 6: the processor reads the destination of a
; read-modify-write with write intent, so the fault reports a write.
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    mov eax, 0x01010101
    ROUNDS rdi, DATA + 0x1800, UNMAPPED - 2
    FAULTS_HERE
    add [rdi], eax
    END_ROUNDS
