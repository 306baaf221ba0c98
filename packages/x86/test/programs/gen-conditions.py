#!/usr/bin/env python3
"""Writes conditions.asm: every condition code (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge,
le, g) under all 32 combinations of CF, PF, ZF, SF and OF, through SETcc, CMOVcc and Jcc. SETcc
writes only its byte; a 32-bit CMOVcc zero-extends its destination even when the condition is
false; none of them changes a flag. The conditions are the SDM's (vol. 1, appendix B); the host
CPU confirms them."""
import itertools
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source folder
from program_writer import Program  # noqa: E402

CF, PF, ZF, SF, OF = 0x1, 0x4, 0x40, 0x80, 0x800
CONDITIONS = {
    "o": lambda f: f & OF,
    "no": lambda f: not f & OF,
    "b": lambda f: f & CF,
    "ae": lambda f: not f & CF,
    "e": lambda f: f & ZF,
    "ne": lambda f: not f & ZF,
    "be": lambda f: f & (CF | ZF),
    "a": lambda f: not f & (CF | ZF),
    "s": lambda f: f & SF,
    "ns": lambda f: not f & SF,
    "p": lambda f: f & PF,
    "np": lambda f: not f & PF,
    "l": lambda f: bool(f & SF) != bool(f & OF),
    "ge": lambda f: bool(f & SF) == bool(f & OF),
    "le": lambda f: f & ZF or bool(f & SF) != bool(f & OF),
    "g": lambda f: not f & ZF and bool(f & SF) == bool(f & OF),
}


MACROS = """
; CONDITION check, condition code, flags, 1 when it holds else 0
%macro CONDITION 4
    CHECK %1
    mov rax, 0x1122334455667788
    push 0x202 | %3
    popfq
    set%2 al
    EXPECT_FLAGS CF | PF | ZF | SF | OF, %3
    EXPECT rax, 0x1122334455667700 | %4
    mov rax, 0x1122334400000002
    mov ecx, 1
    push 0x202 | %3
    popfq
    cmov%2 eax, ecx
    EXPECT_FLAGS CF | PF | ZF | SF | OF, %3
    EXPECT rax, 2 - %4
    xor eax, eax
    push 0x202 | %3
    popfq
    j%2 %%taken
    jmp %%done
%%taken:
    mov eax, 1
%%done:
    EXPECT rax, %4
%endmacro
"""


def main():
    program = Program("conditions", "gen-conditions.py", "every condition code under every flag combination", MACROS)
    for bits in itertools.product((0, 1), repeat=5):
        flags = sum(bit * flag for bit, flag in zip(bits, (CF, PF, ZF, SF, OF)))
        for cc, holds in CONDITIONS.items():
            program.check("CONDITION", cc, f"{flags:#x}", 1 if holds(flags) else 0)
    program.write()


main()
