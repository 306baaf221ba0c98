; Code written at run time: a function in the writable code page is called until it is hot
; (compiled), then rewritten in place; the next call must run the new code. Also a store into the
; instruction stream just ahead of execution in the same page.
%include "harness.inc"

BEGIN
    ; Write "mov eax, 1; ret" (b8 01 00 00 00 c3) at WRITABLE_CODE.
    mov edi, WRITABLE_CODE
    mov dword [rdi], 0x000001b8
    mov word [rdi + 4], 0xc300

    CHECK 1
    mov ebx, 40
    xor r8d, r8d
.warm:
    call rdi
    add r8, rax
    dec ebx
    jnz .warm
    EXPECT r8, 40

    ; Rewrite the immediate: "mov eax, 0x1234; ret".
    CHECK 2
    mov dword [rdi + 1], 0x1234
    call rdi
    EXPECT rax, 0x1234

    ; Replace the whole function with a longer one: "add eax, eax; add eax, 5; ret" after a
    ; "mov eax, 7" (b8 07 00 00 00 01 c0 83 c0 05 c3): 7 + 7 + 5 = 19.
    CHECK 3
    mov dword [rdi], 0x000007b8
    mov dword [rdi + 4], 0x83c00100
    mov word [rdi + 8], 0x05c0
    mov byte [rdi + 10], 0xc3
    call rdi
    EXPECT rax, 19

    ; A function that patches the immediate of an instruction it executes next: it stores 0x77
    ; into the imm32 of the following "mov eax, imm32" (the store is before the fetch, so the new
    ; value must be seen). Written at WRITABLE_CODE + 0x100:
    ;   c6 05 01 00 00 00 77     mov byte [rip + 1], 0x77   ; rip+1 is the imm32's first byte
    ;   b8 00 00 00 00           mov eax, 0
    ;   c3                       ret
    CHECK 4
    lea rsi, [rdi + 0x100]
    mov dword [rsi], 0x000105c6
    mov dword [rsi + 4], 0xb8770000
    mov dword [rsi + 8], 0
    mov byte [rsi + 12], 0xc3
    call rsi
    EXPECT rax, 0x77
    ; Called again (now warm) after resetting the immediate: still the patched value.
    CHECK 5
    mov ebx, 30
.again:
    mov byte [rsi + 8], 0
    call rsi
    EXPECT rax, 0x77
    dec ebx
    jnz .again

    PASS_OR_FAIL
