; x87 precision control and rounding modes (FLDCW), status flags of inexact results, special
; results. The expected 80-bit values were computed with exact rational arithmetic (1/3 rounded
; to 24/53/64 significand bits in each mode) and are confirmed by the host CPU.
%include "harness.inc"

; Control words: exceptions masked (0x7f) with precision control PC and rounding control RC.
%define PC_SINGLE 0x000
%define PC_DOUBLE 0x200
%define PC_EXTENDED 0x300
%define RC_NEAR 0x000
%define RC_DOWN 0x400
%define RC_UP 0x800
%define RC_ZERO 0xc00
%define C1 0x200
%define PE 0x20

; Scratch at rbx: [rbx] an 80-bit result, [rbx+16] the control word, [rbx+24] an operand,
; [rbx+32] a 64-bit result.

%macro SET_CW 1
    mov word [rbx + 16], 0x7f | %1
    fldcw [rbx + 16]
    fnclex
%endmacro

; check, control word, numerator, denominator, significand, sign+exponent, status & (C1|PE)
%macro DIVIDE 7
    CHECK %1
    SET_CW %2
    mov dword [rbx + 24], %3
    fild dword [rbx + 24]
    mov dword [rbx + 24], %4
    fidiv dword [rbx + 24]
    fnstsw ax
    and eax, C1 | PE
    EXPECT rax, %7
    fstp tword [rbx]
    EXPECT qword [rbx], %5
    movzx eax, word [rbx + 8]
    EXPECT rax, %6
%endmacro

; check, control word, double bits to load, expected 64-bit integer from FISTP
%macro TO_INTEGER 4
    CHECK %1
    SET_CW %2
    mov rax, %3
    mov [rbx + 24], rax
    fld qword [rbx + 24]
    fistp qword [rbx + 32]
    EXPECT qword [rbx + 32], %4
%endmacro

BEGIN
    mov ebx, DATA + 0x400
    fninit

    ; 1/3 in each precision and rounding mode; C1 says the significand was rounded up.
    DIVIDE 1, PC_SINGLE | RC_NEAR, 1, 3, 0xaaaaab0000000000, 0x3ffd, C1 | PE
    DIVIDE 2, PC_SINGLE | RC_DOWN, 1, 3, 0xaaaaaa0000000000, 0x3ffd, PE
    DIVIDE 3, PC_SINGLE | RC_UP, 1, 3, 0xaaaaab0000000000, 0x3ffd, C1 | PE
    DIVIDE 4, PC_SINGLE | RC_ZERO, 1, 3, 0xaaaaaa0000000000, 0x3ffd, PE
    DIVIDE 5, PC_DOUBLE | RC_NEAR, 1, 3, 0xaaaaaaaaaaaaa800, 0x3ffd, PE
    DIVIDE 6, PC_DOUBLE | RC_DOWN, 1, 3, 0xaaaaaaaaaaaaa800, 0x3ffd, PE
    DIVIDE 7, PC_DOUBLE | RC_UP, 1, 3, 0xaaaaaaaaaaaab000, 0x3ffd, C1 | PE
    DIVIDE 8, PC_DOUBLE | RC_ZERO, 1, 3, 0xaaaaaaaaaaaaa800, 0x3ffd, PE
    DIVIDE 9, PC_EXTENDED | RC_NEAR, 1, 3, 0xaaaaaaaaaaaaaaab, 0x3ffd, C1 | PE
    DIVIDE 10, PC_EXTENDED | RC_DOWN, 1, 3, 0xaaaaaaaaaaaaaaaa, 0x3ffd, PE
    DIVIDE 11, PC_EXTENDED | RC_UP, 1, 3, 0xaaaaaaaaaaaaaaab, 0x3ffd, C1 | PE
    DIVIDE 12, PC_EXTENDED | RC_ZERO, 1, 3, 0xaaaaaaaaaaaaaaaa, 0x3ffd, PE
    ; -1/3: rounding down (toward -infinity) now grows the magnitude, rounding up does not.
    DIVIDE 13, PC_EXTENDED | RC_NEAR, -1, 3, 0xaaaaaaaaaaaaaaab, 0xbffd, C1 | PE
    DIVIDE 14, PC_EXTENDED | RC_DOWN, -1, 3, 0xaaaaaaaaaaaaaaab, 0xbffd, C1 | PE
    DIVIDE 15, PC_EXTENDED | RC_UP, -1, 3, 0xaaaaaaaaaaaaaaaa, 0xbffd, PE
    DIVIDE 16, PC_EXTENDED | RC_ZERO, -1, 3, 0xaaaaaaaaaaaaaaaa, 0xbffd, PE
    DIVIDE 17, PC_DOUBLE | RC_DOWN, -1, 3, 0xaaaaaaaaaaaab000, 0xbffd, C1 | PE
    ; Exact results set neither flag, whatever the precision.
    DIVIDE 18, PC_SINGLE | RC_UP, 3, 4, 0xc000000000000000, 0x3ffe, 0

    ; FISTP rounds with RC: 2.5, -2.5 and 3.5 (ties go to even when rounding to nearest).
    TO_INTEGER 19, PC_EXTENDED | RC_NEAR, 0x4004000000000000, 2
    TO_INTEGER 20, PC_EXTENDED | RC_DOWN, 0x4004000000000000, 2
    TO_INTEGER 21, PC_EXTENDED | RC_UP, 0x4004000000000000, 3
    TO_INTEGER 22, PC_EXTENDED | RC_ZERO, 0x4004000000000000, 2
    TO_INTEGER 23, PC_EXTENDED | RC_NEAR, 0xc004000000000000, -2
    TO_INTEGER 24, PC_EXTENDED | RC_DOWN, 0xc004000000000000, -3
    TO_INTEGER 25, PC_EXTENDED | RC_UP, 0xc004000000000000, -2
    TO_INTEGER 26, PC_EXTENDED | RC_ZERO, 0xc004000000000000, -2
    TO_INTEGER 27, PC_SINGLE | RC_NEAR, 0x400c000000000000, 4
    ; Out of range: the integer indefinite.
    TO_INTEGER 28, PC_EXTENDED | RC_NEAR, 0x43e0000000000000, 0x8000000000000000

    ; FISTTP truncates whatever RC says.
    CHECK 29
    SET_CW PC_EXTENDED | RC_UP
    mov rax, 0xc004000000000000
    mov [rbx + 24], rax
    fld qword [rbx + 24]
    fisttp qword [rbx + 32]
    EXPECT qword [rbx + 32], -2

    ; FRNDINT uses RC too: 2.5 rounded up is 3.
    CHECK 30
    SET_CW PC_EXTENDED | RC_UP
    mov rax, 0x4004000000000000
    mov [rbx + 24], rax
    fld qword [rbx + 24]
    frndint
    SET_CW PC_EXTENDED | RC_NEAR
    fistp qword [rbx + 32]
    EXPECT qword [rbx + 32], 3

    ; Precision control rounds additions: 1 + 2^-30 is 1 in single precision, exact in double.
    CHECK 31
    SET_CW PC_SINGLE | RC_NEAR
    fld1
    mov rax, 0x3e10000000000000         ; 2^-30
    mov [rbx + 24], rax
    fadd qword [rbx + 24]
    fstp qword [rbx + 32]
    EXPECT qword [rbx + 32], 0x3ff0000000000000
    CHECK 32
    SET_CW PC_DOUBLE | RC_NEAR
    fld1
    fadd qword [rbx + 24]
    fstp qword [rbx + 32]
    EXPECT qword [rbx + 32], 0x3ff0000000400000

    ; sqrt(2) to 64 bits: nearest and truncated agree, rounding up adds one.
    CHECK 33
    SET_CW PC_EXTENDED | RC_NEAR
    mov dword [rbx + 24], 2
    fild dword [rbx + 24]
    fsqrt
    fstp tword [rbx]
    EXPECT qword [rbx], 0xb504f333f9de6484
    CHECK 34
    SET_CW PC_EXTENDED | RC_UP
    fild dword [rbx + 24]
    fsqrt
    fstp tword [rbx]
    EXPECT qword [rbx], 0xb504f333f9de6485

    ; Storing to double rounds with RC: extended 1/3 stored down and up.
    CHECK 35
    SET_CW PC_EXTENDED | RC_NEAR
    fld1
    mov dword [rbx + 24], 3
    fidiv dword [rbx + 24]
    SET_CW PC_EXTENDED | RC_UP
    fst qword [rbx + 32]
    EXPECT qword [rbx + 32], 0x3fd5555555555556
    CHECK 36
    SET_CW PC_EXTENDED | RC_DOWN
    fstp qword [rbx + 32]
    EXPECT qword [rbx + 32], 0x3fd5555555555555

    ; 1/0 is +infinity with ZE (bit 2); sqrt(-1) is the default NaN with IE (bit 0).
    CHECK 37
    SET_CW PC_EXTENDED | RC_NEAR
    fld1
    fldz
    fdivp st1, st0
    fnstsw ax
    and eax, 0x3f
    EXPECT rax, 0x4
    fstp tword [rbx]
    EXPECT qword [rbx], 0x8000000000000000
    movzx eax, word [rbx + 8]
    EXPECT rax, 0x7fff
    CHECK 38
    SET_CW PC_EXTENDED | RC_NEAR
    fld1
    fchs
    fsqrt
    fnstsw ax
    and eax, 0x3f
    EXPECT rax, 0x1
    fstp tword [rbx]
    EXPECT qword [rbx], 0xc000000000000000
    movzx eax, word [rbx + 8]
    EXPECT rax, 0xffff

    ; The stack is empty again: every tag word pair says empty.
    CHECK 39
    fnstenv [rbx + 64]
    movzx eax, word [rbx + 64 + 8]
    EXPECT rax, 0xffff

    ; Stack overflow: a ninth push sets IE, SF and C1 (overflow) and leaves the indefinite NaN.
    CHECK 40
    fninit
%rep 9
    fld1
%endrep
    fnstsw ax
    and eax, C1 | 0x41
    EXPECT rax, C1 | 0x41
    fstp tword [rbx]
    EXPECT qword [rbx], 0xc000000000000000
    movzx eax, word [rbx + 8]
    EXPECT rax, 0xffff
    ; Stack underflow: an operation on an empty register sets IE and SF with C1 clear.
    CHECK 41
    fninit
    fld1
    fadd st0, st1
    fnstsw ax
    and eax, C1 | 0x41
    EXPECT rax, 0x41
    fstp tword [rbx]
    EXPECT qword [rbx], 0xc000000000000000

    ; Loading a denormal double sets DE and gives a normal extended value: 2^-1074 has the
    ; biased exponent 16383 - 1074 = 0x3bcd.
    CHECK 42
    fninit
    mov qword [rbx + 24], 1
    fld qword [rbx + 24]
    fnstsw ax
    and eax, 0x3f
    EXPECT rax, 0x2
    fstp tword [rbx]
    EXPECT qword [rbx], 0x8000000000000000
    movzx eax, word [rbx + 8]
    EXPECT rax, 0x3bcd

    ; FXAM classes (C3 C2 C0): empty 101, zero 100, normal 010, infinity 011, NaN 001; C1 is
    ; the sign.
%macro EXAMINE 1
    fxam
    fnstsw ax
    and eax, 0x4700
    EXPECT rax, %1
%endmacro
    CHECK 43
    fninit
    EXAMINE 0x4100
    fldz
    EXAMINE 0x4000
    fchs
    EXAMINE 0x4200
    fld1
    EXAMINE 0x0400
    fldz
    fdivp st1, st0
    EXAMINE 0x0500
    fstp st0
    fld1
    fchs
    fsqrt
    EXAMINE 0x0300
    fninit

    PASS_OR_FAIL
