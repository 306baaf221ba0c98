; DIV by zero raises #DE at the DIV with every register as before it; the earlier rounds divide
; 1000 by 19.
; EXPECT-FAULT: DE
%include "harness.inc"
BEGIN
    mov rsi, 0x1122334455667788
    ROUNDS rcx, 19, 0
    mov eax, 1000
    xor edx, edx
    FAULTS_HERE
    div rcx
    add rdi, rax
    END_ROUNDS
