; A store to the read-only page faults with CR2 = its address and error code 7 (user, write,
; present); a read of the same page before it succeeds.
; EXPECT-FAULT: PF 0x10003008 0x7
%include "harness.inc"
BEGIN
    mov eax, READ_ONLY + 8
    mov rax, [rax]
    ROUNDS rdi, DATA + 0x1808, READ_ONLY + 8
    inc rax
    FAULTS_HERE
    mov [rdi], eax
    END_ROUNDS
