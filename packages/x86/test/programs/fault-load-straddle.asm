; An 8-byte load straddling from the last read/write data page into the unmapped page faults
; with CR2 = the first unmapped byte and error code 4 (user, read, not present), registers as
; before. Earlier rounds load from inside the page.
; EXPECT-FAULT: PF 0x10002000 0x4
%include "harness.inc"
BEGIN
    mov rax, 0x0123456789abcdef
    ROUNDS rsi, DATA + 0x1800, UNMAPPED - 4
    FAULTS_HERE
    mov rax, [rsi]
    add rdi, rax
    END_ROUNDS
