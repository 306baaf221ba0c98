; String instructions whose accesses cross the page boundary at DATA+0x1000, forwards and (with
; DF set) backwards: the bytes moved, compared and found, and the final rsi/rdi/rcx/flags.
; The area around the boundary holds pattern(a) = (a & 0xff) ^ ((a >> 8) & 0xff) at address a.
%include "harness.inc"

%define BOUNDARY DATA + 0x1000

BEGIN
    ; Fill DATA+0x0f00 .. DATA+0x1100 with the pattern.
    mov edi, BOUNDARY - 0x100
.fill:
    call pattern
    mov [rdi], al
    inc edi
    cmp edi, BOUNDARY + 0x100
    jb .fill

    ; LODSQ across the boundary: f3 f2 f1 f0 | 10 11 12 13.
    CHECK 1
    mov esi, BOUNDARY - 4
    lodsq
    EXPECT rax, 0x13121110f0f1f2f3
    EXPECT rsi, BOUNDARY + 4

    ; A 16-byte SSE load across the boundary (BOUNDARY-5 .. BOUNDARY+10).
    CHECK 10
    movdqu xmm0, [abs BOUNDARY - 5]
    movq rax, xmm0
    EXPECT rax, 0x121110f0f1f2f3f4
    psrldq xmm0, 8
    movq rax, xmm0
    EXPECT rax, 0x1a19181716151413

    ; REP MOVSB from across the boundary to DATA+0x1800.
    CHECK 2
    mov esi, BOUNDARY - 0xd
    mov edi, DATA + 0x1800
    mov ecx, 0x21
    rep movsb
    EXPECT rsi, BOUNDARY + 0x14
    EXPECT rdi, DATA + 0x1821
    EXPECT rcx, 0
    mov esi, BOUNDARY - 0xd
    mov edi, DATA + 0x1800
    mov ecx, 0x21
    call verify
    EXPECT rax, 0

    ; REPE CMPSB across the boundary stops at the first difference, 0x19 bytes in.
    CHECK 3
    xor byte [abs DATA + 0x1818], 0x80
    mov esi, BOUNDARY - 0xd
    mov edi, DATA + 0x1800
    mov ecx, 0x21
    repe cmpsb
    ; The difference is pattern(BOUNDARY + 0xb) = 0x1b against 0x9b: 0x1b - 0x9b borrows and
    ; overflows (27 - -101 = 128), result 0x80.
    EXPECT_FLAGS ZF | CF | SF | OF, CF | SF | OF
    EXPECT rcx, 8
    EXPECT rsi, BOUNDARY + 0xc
    EXPECT rdi, DATA + 0x1819
    xor byte [abs DATA + 0x1818], 0x80

    ; REPNE SCASB finds 0x15, first at BOUNDARY+5, searching from BOUNDARY-0x10.
    CHECK 4
    mov edi, BOUNDARY - 0x10
    mov eax, 0x15
    mov ecx, 0x40
    repne scasb
    EXPECT_FLAGS ZF, ZF
    EXPECT rdi, BOUNDARY + 6
    EXPECT rcx, 0x40 - 0x16

    ; REP MOVSB backwards (DF set) across the boundary: BOUNDARY-0x10 .. BOUNDARY+0xf to
    ; DATA+0x19f0 .. DATA+0x1a0f, starting from the last byte.
    CHECK 5
    std
    mov esi, BOUNDARY + 0xf
    mov edi, DATA + 0x1a0f
    mov ecx, 0x20
    rep movsb
    cld
    EXPECT rsi, BOUNDARY - 0x11
    EXPECT rdi, DATA + 0x19ef
    mov esi, BOUNDARY - 0x10
    mov edi, DATA + 0x19f0
    mov ecx, 0x20
    call verify
    EXPECT rax, 0

    ; REP MOVSQ into a destination across the boundary, from DATA+0x1800 (the copy of check 2).
    CHECK 6
    mov esi, DATA + 0x1800
    mov edi, BOUNDARY - 0x18
    mov ecx, 4
    rep movsq
    EXPECT rdi, BOUNDARY + 8
    EXPECT rsi, DATA + 0x1820
    mov esi, BOUNDARY - 0xd
    mov edi, BOUNDARY - 0x18
    mov ecx, 0x20
    call verify
    EXPECT rax, 0

    ; REP STOSD at an odd address across the boundary, then backwards with STOSW.
    CHECK 7
    mov edi, BOUNDARY - 0xb
    mov eax, 0xdeadbeef
    mov ecx, 5
    rep stosd
    EXPECT rdi, BOUNDARY + 9
    EXPECT qword [abs BOUNDARY - 0xb], 0xdeadbeefdeadbeef
    EXPECT qword [abs BOUNDARY - 0x3], 0xdeadbeefdeadbeef
    mov eax, [abs BOUNDARY + 0x5]
    EXPECT rax, 0xdeadbeef
    CHECK 8
    std
    mov edi, BOUNDARY + 0x1
    mov eax, 0x1234
    mov ecx, 2
    rep stosw
    cld
    EXPECT rdi, BOUNDARY - 0x3
    mov eax, [abs BOUNDARY - 0x1]
    EXPECT rax, 0x12341234

    ; REP with rcx = 0 does nothing, not even a flag change.
    CHECK 9
    mov esi, BOUNDARY - 1
    mov edi, DATA + 0x1900
    xor ecx, ecx
    push 0x202 | ZF | CF
    popfq
    repe cmpsb
    EXPECT_FLAGS ZF | CF, ZF | CF
    EXPECT rsi, BOUNDARY - 1
    EXPECT rdi, DATA + 0x1900

    ; A 16-byte SSE store across the boundary, read back with plain loads on both pages; the
    ; bytes either side of it stay.
    CHECK 11
    mov byte [abs BOUNDARY - 8], 0x5a
    mov byte [abs BOUNDARY + 9], 0xa5
    mov rax, 0x8877665544332211
    movq xmm1, rax
    mov rax, 0xffeeddccbbaa9900
    movq xmm2, rax
    punpcklqdq xmm1, xmm2
    movdqu [abs BOUNDARY - 7], xmm1
    EXPECT qword [abs BOUNDARY - 7], 0x8877665544332211
    EXPECT qword [abs BOUNDARY + 1], 0xffeeddccbbaa9900
    mov eax, [abs BOUNDARY - 8]
    EXPECT rax, 0x3322115a
    movzx eax, byte [abs BOUNDARY + 9]
    EXPECT rax, 0xa5

    PASS_OR_FAIL

; al = pattern(rdi).
pattern:
    mov eax, edi
    shr eax, 8
    xor eax, edi
    and eax, 0xff
    ret

; rax = how many of the rcx bytes at rdi differ from pattern(rsi + k); keeps nothing else.
verify:
    xor edx, edx
.next:
    push rdi
    mov edi, esi
    call pattern
    pop rdi
    cmp [rdi], al
    je .same
    inc edx
.same:
    inc esi
    inc edi
    dec ecx
    jnz .next
    mov eax, edx
    ret
