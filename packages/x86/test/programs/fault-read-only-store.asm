; A store to the read-only page faults with CR2 = its address and error code 7 (user, write,
; present); a read of the same page before it succeeds.
; EXPECT-FAULT: PF 0x10003008 0x7
%include "harness.inc"
BEGIN
    lea r15, [rel .store]
    mov ebx, 20
    mov r8d, DATA + 0x1808
    mov r9d, READ_ONLY + 8
    mov rax, [r9]
.loop:
    mov rdi, r8
    cmp rbx, 1
    cmove rdi, r9
    inc rax
.store:
    mov [rdi], eax
    dec rbx
    jnz .loop
    DONE
