; Memory copy with a load/store loop, 8 bytes at a time: rdi times, 16 KiB from the first half of
; DATA to the second half (a byte changed each time); checksum: a qword read back after each copy.
%include "harness.inc"
%define QWORDS 0x800
BEGIN
    mov r8, rsi
    lea r9, [rsi + 0x8000]
    mov r10, rdi
    xor r11d, r11d
.loop:
    inc byte [r8 + 123]
    xor ecx, ecx
.copy:
    mov rax, [r8 + rcx * 8]
    mov [r9 + rcx * 8], rax
    inc rcx
    cmp rcx, QWORDS
    jb .copy
    add r11, [r9 + 120]
    dec r10
    jnz .loop
    mov rax, r11
    FINISH
