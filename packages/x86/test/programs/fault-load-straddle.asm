; An 8-byte load straddling from the last read/write data page into the unmapped page faults
; with CR2 = the first unmapped byte and error code 4 (user, read, not present), registers as
; before. Earlier rounds load from inside the page.
; EXPECT-FAULT: PF 0x10002000 0x4
%include "harness.inc"
BEGIN
    lea r15, [rel .load]
    mov ebx, 20
    mov r8d, DATA + 0x1800
    mov r9d, UNMAPPED - 4
    mov rax, 0x0123456789abcdef
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
