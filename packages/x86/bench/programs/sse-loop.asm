; SSE2 scalar double: rdi steps of a damped recurrence x = x * 0.999 + i / (i + 1), with a square
; root every step; checksum: the bits of the final sum.
%include "harness.inc"
BEGIN
    mov rax, 0x3feff7ced916872b     ; 0.999
    movq xmm5, rax
    mov rax, 0x3ff0000000000000     ; 1.0
    movq xmm6, rax
    xorpd xmm0, xmm0                ; x
    xorpd xmm1, xmm1                ; sum
    xor ecx, ecx
.loop:
    cvtsi2sd xmm2, rcx
    movapd xmm3, xmm2
    addsd xmm3, xmm6
    divsd xmm2, xmm3
    mulsd xmm0, xmm5
    addsd xmm0, xmm2
    sqrtsd xmm4, xmm0
    addsd xmm1, xmm4
    inc rcx
    cmp rcx, rdi
    jb .loop
    movq rax, xmm1
    FINISH
