; SSE rounding (MXCSR.RC), NaN propagation and quieting, denormals (FTZ, DAZ) and the exception
; flags each case sets. Expected values are IEEE 754 results worked out by hand (1/3 and 2.5
; rounded in each mode; the SDM's NaN rules, vol. 1 §4.8.3.5 and table 4-7), confirmed by the
; host CPU.
%include "harness.inc"

%define RC_NEAR 0x0000
%define RC_DOWN 0x2000
%define RC_UP 0x4000
%define RC_ZERO 0x6000
%define FTZ 0x8000
%define DAZ 0x0040
%define MASKED 0x1f80
%define IE 0x01
%define DE 0x02
%define ZE 0x04
%define PE 0x20
%define UE 0x10

%define ONE 0x3ff0000000000000
%define THREE 0x4008000000000000
%define QNAN_A 0x7ff8000000000a0a
%define QNAN_B 0x7ff800000000b0b0
%define SNAN_A 0x7ff0000000000a0a
%define DEFAULT_NAN 0xfff8000000000000
%define MIN_NORMAL 0x0010000000000000
%define HALF_MIN_NORMAL 0x0008000000000000

; Scratch: [rbx] MXCSR image.

%macro SET_MXCSR 1
    mov dword [rbx], MASKED | %1
    ldmxcsr [rbx]
%endmacro

; Fails unless the MXCSR exception flags are exactly %1.
%macro EXPECT_MXCSR_FLAGS 1
    stmxcsr [rbx]
    mov eax, [rbx]
    and eax, 0x3f
    EXPECT rax, %1
%endmacro

%macro LOAD 2
    mov rax, %2
    movq %1, rax
%endmacro

; check, MXCSR control, first operand, second operand, operation, expected bits, expected flags
%macro BINARY 7
    CHECK %1
    SET_MXCSR %2
    LOAD xmm0, %3
    LOAD xmm1, %4
    %5 xmm0, xmm1
    movq rax, xmm0
    EXPECT rax, %6
    EXPECT_MXCSR_FLAGS %7
%endmacro

; check, MXCSR control, double bits, expected integer from CVTSD2SI
%macro TO_INTEGER 4
    CHECK %1
    SET_MXCSR %2
    LOAD xmm0, %3
    cvtsd2si rax, xmm0
    EXPECT rax, %4
%endmacro

BEGIN
    mov ebx, DATA + 0x400

    ; 1/3 and -1/3 in each rounding mode.
    BINARY 1, RC_NEAR, ONE, THREE, divsd, 0x3fd5555555555555, PE
    BINARY 2, RC_DOWN, ONE, THREE, divsd, 0x3fd5555555555555, PE
    BINARY 3, RC_UP, ONE, THREE, divsd, 0x3fd5555555555556, PE
    BINARY 4, RC_ZERO, ONE, THREE, divsd, 0x3fd5555555555555, PE
    BINARY 5, RC_NEAR, 0xbff0000000000000, THREE, divsd, 0xbfd5555555555555, PE
    BINARY 6, RC_DOWN, 0xbff0000000000000, THREE, divsd, 0xbfd5555555555556, PE
    BINARY 7, RC_UP, 0xbff0000000000000, THREE, divsd, 0xbfd5555555555555, PE
    BINARY 8, RC_ZERO, 0xbff0000000000000, THREE, divsd, 0xbfd5555555555555, PE
    ; Exact: no flag.
    BINARY 9, RC_UP, ONE, 0x4000000000000000, divsd, 0x3fe0000000000000, 0
    ; x - x is +0 except when rounding down, where it is -0.
    BINARY 10, RC_NEAR, ONE, ONE, subsd, 0, 0
    BINARY 11, RC_DOWN, ONE, ONE, subsd, 0x8000000000000000, 0

    ; CVTSD2SI rounds with RC; 2.5 and -2.5 (ties to even when rounding to nearest).
    TO_INTEGER 12, RC_NEAR, 0x4004000000000000, 2
    TO_INTEGER 13, RC_DOWN, 0x4004000000000000, 2
    TO_INTEGER 14, RC_UP, 0x4004000000000000, 3
    TO_INTEGER 15, RC_ZERO, 0x4004000000000000, 2
    TO_INTEGER 16, RC_NEAR, 0xc004000000000000, -2
    TO_INTEGER 17, RC_DOWN, 0xc004000000000000, -3
    TO_INTEGER 18, RC_UP, 0xc004000000000000, -2
    TO_INTEGER 19, RC_ZERO, 0xc004000000000000, -2
    ; NaN and out of range give the integer indefinite with IE.
    TO_INTEGER 20, RC_NEAR, QNAN_A, 0x8000000000000000
    EXPECT_MXCSR_FLAGS IE
    TO_INTEGER 21, RC_NEAR, 0x43e0000000000000, 0x8000000000000000
    EXPECT_MXCSR_FLAGS IE
    ; CVTTSD2SI truncates whatever RC says.
    CHECK 22
    SET_MXCSR RC_UP
    LOAD xmm0, 0xc004000000000000
    cvttsd2si rax, xmm0
    EXPECT rax, -2

    ; NaNs: 0/0 is the default NaN (negative); a QNaN operand passes through; an SNaN is
    ; quieted and sets IE; with two NaNs the first operand wins (quieted).
    BINARY 23, RC_NEAR, 0, 0, divsd, DEFAULT_NAN, IE
    BINARY 24, RC_NEAR, ONE, QNAN_B, addsd, QNAN_B, 0
    BINARY 25, RC_NEAR, SNAN_A, ONE, addsd, QNAN_A, IE
    BINARY 26, RC_NEAR, QNAN_A, QNAN_B, mulsd, QNAN_A, 0
    BINARY 27, RC_NEAR, QNAN_B, SNAN_A, mulsd, QNAN_B, IE
    BINARY 28, RC_NEAR, 0, 0xbff0000000000000, sqrtsd, DEFAULT_NAN, IE
    ; MAXSD/MINSD return the second operand when either is a NaN or both are zeros.
    BINARY 29, RC_NEAR, QNAN_A, ONE, maxsd, ONE, IE
    BINARY 30, RC_NEAR, ONE, QNAN_A, maxsd, QNAN_A, IE
    BINARY 31, RC_NEAR, 0, 0x8000000000000000, minsd, 0x8000000000000000, 0
    BINARY 32, RC_NEAR, 0x8000000000000000, 0, minsd, 0, 0

    ; Denormals: half the smallest normal is exact (no UE when masked and exact); FTZ flushes it
    ; to zero and reports UE and PE. An input denormal sets DE; DAZ reads it as zero, no DE.
    BINARY 33, RC_NEAR, MIN_NORMAL, 0x3fe0000000000000, mulsd, HALF_MIN_NORMAL, 0
    BINARY 34, RC_NEAR | FTZ, MIN_NORMAL, 0x3fe0000000000000, mulsd, 0, UE | PE
    BINARY 35, RC_NEAR, HALF_MIN_NORMAL, 0, addsd, HALF_MIN_NORMAL, DE
    BINARY 36, RC_NEAR | DAZ, HALF_MIN_NORMAL, 0, addsd, 0, 0
    BINARY 37, RC_NEAR | DAZ, HALF_MIN_NORMAL, ONE, mulsd, 0, 0
    ; An inexact tiny result from a denormal input: DE, UE and PE; rounding up gives the smallest
    ; denormal back.
    BINARY 38, RC_UP, 0x0000000000000001, 0x3fe0000000000000, mulsd, 0x0000000000000001, DE | UE | PE
    BINARY 39, RC_NEAR, 0x0000000000000001, 0x3fe0000000000000, mulsd, 0, DE | UE | PE
    ; Division by zero: infinity and ZE.
    BINARY 40, RC_NEAR, ONE, 0, divsd, 0x7ff0000000000000, ZE

    ; Single precision: 1/3 nearest and toward zero, and a double narrowed by CVTSD2SS.
    CHECK 41
    SET_MXCSR RC_NEAR
    mov eax, 0x3f800000
    movd xmm0, eax
    mov eax, 0x40400000
    movd xmm1, eax
    divss xmm0, xmm1
    movd eax, xmm0
    EXPECT rax, 0x3eaaaaab
    CHECK 42
    SET_MXCSR RC_ZERO
    mov eax, 0x3f800000
    movd xmm0, eax
    divss xmm0, xmm1
    movd eax, xmm0
    EXPECT rax, 0x3eaaaaaa
    CHECK 43
    SET_MXCSR RC_DOWN
    LOAD xmm2, 0x3fd5555555555555
    cvtsd2ss xmm0, xmm2
    movd eax, xmm0
    EXPECT rax, 0x3eaaaaaa

    ; ROUNDSD: the immediate's mode, or MXCSR.RC with bit 2 set.
    CHECK 44
    SET_MXCSR RC_UP
    LOAD xmm1, 0x4004000000000000           ; 2.5
    roundsd xmm0, xmm1, 0
    movq rax, xmm0
    EXPECT rax, 0x4000000000000000
    roundsd xmm0, xmm1, 4
    movq rax, xmm0
    EXPECT rax, 0x4008000000000000
    roundsd xmm0, xmm1, 1
    movq rax, xmm0
    EXPECT rax, 0x4000000000000000

    ; UCOMISD with a QNaN: unordered (ZF PF CF set) without IE; COMISD sets IE.
    CHECK 45
    SET_MXCSR RC_NEAR
    LOAD xmm0, ONE
    LOAD xmm1, QNAN_A
    ucomisd xmm0, xmm1
    EXPECT_FLAGS ZF | PF | CF | OF | SF | AF, ZF | PF | CF
    EXPECT_MXCSR_FLAGS 0
    comisd xmm0, xmm1
    EXPECT_MXCSR_FLAGS IE

    ; Packed: each lane rounds on its own (1/3 and 2/3 rounded up).
    CHECK 46
    SET_MXCSR RC_UP
    LOAD xmm0, ONE
    LOAD xmm2, 0x4000000000000000
    punpcklqdq xmm0, xmm2
    LOAD xmm1, THREE
    punpcklqdq xmm1, xmm1
    divpd xmm0, xmm1
    movq rax, xmm0
    EXPECT rax, 0x3fd5555555555556
    psrldq xmm0, 8
    movq rax, xmm0
    EXPECT rax, 0x3fe5555555555556

    ; Integer to floating point rounds with RC: 2^53 + 1 is a tie (to even: 2^53) or rounds up;
    ; INT32_MAX as a float rounds to 2^31, or down toward zero.
    CHECK 47
    SET_MXCSR RC_NEAR
    mov rax, (1 << 53) + 1
    cvtsi2sd xmm0, rax
    movq rax, xmm0
    EXPECT rax, 0x4340000000000000
    EXPECT_MXCSR_FLAGS PE
    CHECK 48
    SET_MXCSR RC_UP
    mov rax, (1 << 53) + 1
    cvtsi2sd xmm0, rax
    movq rax, xmm0
    EXPECT rax, 0x4340000000000001
    CHECK 49
    SET_MXCSR RC_NEAR
    mov eax, 0x7fffffff
    cvtsi2ss xmm0, eax
    movd eax, xmm0
    EXPECT rax, 0x4f000000
    SET_MXCSR RC_ZERO
    mov eax, 0x7fffffff
    cvtsi2ss xmm0, eax
    movd eax, xmm0
    EXPECT rax, 0x4effffff

    ; A 32-bit CVTTSD2SI out of range gives 0x80000000 with IE, zero-extended into rax.
    CHECK 50
    SET_MXCSR RC_NEAR
    mov rax, -1
    LOAD xmm0, 0x41e0000000000000           ; 2^31
    cvttsd2si eax, xmm0
    EXPECT rax, 0x80000000
    EXPECT_MXCSR_FLAGS IE

    ; sqrt(2): the nearest double is above the true root, so rounding up agrees with it and
    ; rounding down is one below.
    BINARY 51, RC_UP, 0, 0x4000000000000000, sqrtsd, 0x3ff6a09e667f3bcd, PE
    BINARY 52, RC_DOWN, 0, 0x4000000000000000, sqrtsd, 0x3ff6a09e667f3bcc, PE
    BINARY 53, RC_NEAR, 0, 0x4000000000000000, sqrtsd, 0x3ff6a09e667f3bcd, PE

    PASS_OR_FAIL
