; A read-modify-write ADD straddling into the unmapped page faults before writing anything, with
; CR2 = the first unmapped byte. The error code is 6: the processor reads the destination of a
; read-modify-write with write intent, so the fault reports a write.
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    lea r15, [rel .add]
    mov ebx, 20
    mov r8d, DATA + 0x1800
    mov r9d, UNMAPPED - 2
    mov eax, 0x01010101
.loop:
    mov rdi, r8
    cmp rbx, 1
    cmove rdi, r9
.add:
    add [rdi], eax
    dec rbx
    jnz .loop
    DONE
