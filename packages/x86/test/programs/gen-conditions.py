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
ARITHMETIC = CF | PF | ZF | SF | OF


def main():
    program = Program("conditions", "gen-conditions.py", "every condition code under every flag combination")
    for bits in itertools.product((0, 1), repeat=5):
        flags = sum(bit * flag for bit, flag in zip(bits, (CF, PF, ZF, SF, OF)))
        for cc, holds in CONDITIONS.items():
            t = 1 if holds(flags) else 0
            n = program.checks + 1
            program.check(
                f"set{cc}, cmov{cc}, j{cc} with flags {flags:#x}: condition {'true' if t else 'false'}",
                [
                    "mov rax, 0x1122334455667788",
                    f"push {0x202 | flags:#x}",
                    "popfq",
                    f"set{cc} al",
                    f"EXPECT_FLAGS {ARITHMETIC:#x}, {flags:#x}",
                    f"EXPECT rax, {0x1122334455667700 | t:#x}",
                    "mov rax, 0x1122334400000002",
                    "mov ecx, 1",
                    f"push {0x202 | flags:#x}",
                    "popfq",
                    f"cmov{cc} eax, ecx",
                    f"EXPECT_FLAGS {ARITHMETIC:#x}, {flags:#x}",
                    f"EXPECT rax, {1 if t else 2}",
                    "xor eax, eax",
                    f"push {0x202 | flags:#x}",
                    "popfq",
                    f"j{cc} taken_{n}",
                    f"jmp done_{n}",
                    f"taken_{n}: mov eax, 1",
                    f"done_{n}: EXPECT rax, {t}",
                ],
            )
    program.write()


main()
