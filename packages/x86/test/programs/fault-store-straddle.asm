; An 8-byte store straddling into the unmapped page faults with CR2 = the first unmapped byte and
; error code 6 (user, write, not present) and writes none of its bytes, not even those on the
; mapped page (programs.test.ts compares the data pages). Earlier rounds store inside the page.
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    mov rax, 0x0123456789abcdef
    ROUNDS rdi, DATA + 0x1800, UNMAPPED - 6
    inc rax
    FAULTS_HERE
    mov [rdi], rax
    END_ROUNDS
