; Fetching an instruction that straddles from the writable code page into the unmapped page after
; it faults with CR2 = the first unmapped byte, error code 0x14 (user, instruction fetch, not
; present) and rip at the instruction's first byte, registers as before. The program writes
; "mov eax, 0x11223344; jmp [DATA + 0x400]" (b8 44 33 22 11 ff 24 25 00 04 00 10) in the code
; page, run 19 times, and the first 3 bytes of the mov at the page's end, run in the last round.
; It reaches both by a jmp, which changes nothing but rip (programs.test.ts takes the state
; before the fetch from the jmp); the way back is in memory so no register holds a code address.
; EXPECT-FAULT: PF 0x10005000 0x14
%include "harness.inc"
BEGIN
    mov edi, WRITABLE_CODE + 0x100
    call write_code
    mov edi, WRITABLE_CODE + 0xffd
    mov byte [rdi], 0xb8
    mov word [rdi + 1], 0x3344
    mov r15, rdi
    lea rax, [rel .back]
    mov [abs DATA + 0x400], rax
    xor eax, eax
    mov ebx, 20
    mov r8d, WRITABLE_CODE + 0x100
    mov r9, r15
.round:
    mov rdi, r8
    cmp rbx, 1
    cmove rdi, r9
    jmp rdi
.back:
    dec rbx
    jnz .round
    DONE

write_code:
    mov dword [rdi], 0x223344b8
    mov dword [rdi + 4], 0x2524ff11
    mov dword [rdi + 8], DATA + 0x400
    ret
