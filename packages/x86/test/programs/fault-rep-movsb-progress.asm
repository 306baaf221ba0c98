; REP MOVSB whose source runs into the unmapped page faults at the first unmapped byte with the
; iterations before it done: rsi, rdi and rcx say how far it got (0x13 of 0x40 bytes), so the
; kernel can restart it. The source bytes are zero like the destination, so memory is unchanged.
; EXPECT-FAULT: PF 0x10002000 0x4
; EXPECT-REGISTERS: rcx=0x2d rsi=0x10002000 rdi=0x10000813
%include "harness.inc"
BEGIN
    ROUNDS rsi, DATA + 0x1000, UNMAPPED - 0x13
    mov edi, DATA + 0x800
    mov ecx, 0x40
    FAULTS_HERE
    rep movsb
    END_ROUNDS
