; A load from a non-canonical address (bit 47 set, bits 63..48 clear) raises #GP(0), not #PF,
; with registers as before.
; EXPECT-FAULT: GP
%include "harness.inc"
BEGIN
    lea r15, [rel .load]
    mov ebx, 20
    mov r8d, DATA + 0x1800
    mov r9, 0x0000800000000000
.loop:
    mov rsi, r8
    cmp rbx, 1
    cmove rsi, r9
.load:
    mov rax, [rsi]
    add rdi, rax
    dec rbx
    jnz .loop
    DONE
