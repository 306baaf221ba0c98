; An 8-byte store straddling into the unmapped page faults with CR2 = the first unmapped byte and
; error code 6 (user, write, not present) and writes none of its bytes, not even those on the
; mapped page (programs.test.ts compares the data pages). Earlier rounds store inside the page.
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    lea r15, [rel .store]
    mov ebx, 20
    mov r8d, DATA + 0x1800
    mov r9d, UNMAPPED - 6
    mov rax, 0x0123456789abcdef
.loop:
    mov rdi, r8
    cmp rbx, 1
    cmove rdi, r9
    inc rax
.store:
    mov [rdi], rax
    dec rbx
    jnz .loop
    DONE
