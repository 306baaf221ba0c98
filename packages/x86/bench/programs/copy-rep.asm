; Memory copy with rep movsb: rdi times, 16 KiB from the first half of DATA to the second half
; (a byte changed each time so no copy is redundant); checksum: a qword read back after each copy.
%include "harness.inc"
%define SIZE 0x4000
BEGIN
    mov r8, rsi                 ; source
    lea r9, [rsi + 0x8000]      ; destination
    mov r10, rdi
    xor r11d, r11d
.loop:
    inc byte [r8 + 123]
    mov rsi, r8
    mov rdi, r9
    mov ecx, SIZE
    rep movsb
    add r11, [r9 + 120]
    dec r10
    jnz .loop
    mov rax, r11
    FINISH
