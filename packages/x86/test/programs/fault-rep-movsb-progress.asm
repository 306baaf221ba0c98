; REP MOVSB whose source runs into the unmapped page faults at the first unmapped byte with the
; iterations before it done: rsi, rdi and rcx say how far it got (0x13 of 0x40 bytes), so the
; kernel can restart it. The source bytes are zero like the destination, so memory is unchanged.
; EXPECT-FAULT: PF 0x10002000 0x4
; EXPECT-REGISTERS: rcx=0x2d rsi=0x10002000 rdi=0x10000813
%include "harness.inc"
BEGIN
    lea r15, [rel .copy]
    mov ebx, 20
    mov r8d, DATA + 0x1000
    mov r9d, UNMAPPED - 0x13
.loop:
    mov rsi, r8
    cmp rbx, 1
    cmove rsi, r9
    mov edi, DATA + 0x800
    mov ecx, 0x40
.copy:
    rep movsb
    dec rbx
    jnz .loop
    DONE
