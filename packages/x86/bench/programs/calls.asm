; Calls and returns: rdi times, the recursive Fibonacci number fib(12) (465 calls each), summed.
%include "harness.inc"
BEGIN
    xor ebx, ebx
.loop:
    mov ecx, 12
    call fib
    add rbx, rax
    dec rdi
    jnz .loop
    mov rax, rbx
    FINISH

; fib(rcx) in rax; preserves rcx.
fib:
    cmp rcx, 2
    jb .small
    push rcx
    dec rcx
    call fib
    push rax
    dec rcx
    call fib
    pop rdx
    add rax, rdx
    pop rcx
    ret
.small:
    mov rax, rcx
    ret
