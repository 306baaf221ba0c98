; Integer loop: a xorshift64 generator summed rdi times (shifts, xors, adds, a counted branch).
%include "harness.inc"
BEGIN
    mov rdx, 0x9e3779b97f4a7c15
    xor eax, eax
.loop:
    mov rcx, rdx
    shl rcx, 13
    xor rdx, rcx
    mov rcx, rdx
    shr rcx, 7
    xor rdx, rcx
    mov rcx, rdx
    shl rcx, 17
    xor rdx, rcx
    add rax, rdx
    dec rdi
    jnz .loop
    FINISH
