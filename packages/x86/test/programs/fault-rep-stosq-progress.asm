; REP STOSQ running into the unmapped page faults at the qword that crosses into it (CR2 is the
; first unmapped byte) with the qwords before it stored: rdi and rcx say how far it got. rax is
; zero and so is the memory it fills, so memory is unchanged.
; EXPECT-FAULT: PF 0x10002000 0x6
; EXPECT-REGISTERS: rcx=0x1e rdi=0x10001ffc
%include "harness.inc"
BEGIN
    ROUNDS rdi, DATA + 0x1000, UNMAPPED - 0x14
    mov ecx, 0x20
    FAULTS_HERE
    rep stosq
    END_ROUNDS
