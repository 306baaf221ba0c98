; x87: the same recurrence as sse-loop on the register stack in extended precision,
; x = x * 0.999 + i / (i + 1) and sum += sqrt(x); checksum: the sum stored as a double.
%include "harness.inc"
BEGIN
    fninit
    mov rax, 0x3feff7ced916872b     ; 0.999
    mov [rsi], rax
    fldz                            ; sum (st1)
    fldz                            ; x (st0)
    xor ecx, ecx
.loop:
    mov [rsi + 8], rcx
    fild qword [rsi + 8]            ; i, x, sum
    fld1
    fadd st0, st1                   ; i + 1, i, x, sum
    fdivp st1, st0                  ; i / (i + 1), x, sum
    fxch st1                        ; x, q, sum
    fmul qword [rsi]
    faddp st1, st0                  ; x', sum
    fld st0
    fsqrt
    faddp st2, st0                  ; x', sum'
    inc rcx
    cmp rcx, rdi
    jb .loop
    fstp st0
    fstp qword [rsi + 16]
    mov rax, [rsi + 16]
    FINISH
