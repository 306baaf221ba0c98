#!/usr/bin/env python3
"""Writes division.asm: DIV and IDIV at every width with quotients and remainders at their limits
(largest quotient, negative remainders, INT_MIN results) but no overflow (the fault-* programs
cover #DE). Expected values are exact integer arithmetic here (quotient truncated toward zero,
remainder with the dividend's sign, as the SDM defines); the host CPU confirms them."""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source folder
from program_writer import Program  # noqa: E402

REGS = {8: "bl", 16: "bx", 32: "ebx", 64: "rbx"}
# Bits above the operands that 8/16-bit forms must leave alone.
HIGH_A = {8: 0x1122334455660000, 16: 0x1122334455660000, 32: 0x1122334400000000, 64: 0}
HIGH_D = {8: 0x7766554433221100, 16: 0x7766554433220000, 32: 0x7766554400000000, 64: 0}


def cases(w):
    umax, smax, smin = (1 << w) - 1, (1 << (w - 1)) - 1, -(1 << (w - 1))
    unsigned = [((umax - 1) * (1 << w) + umax, umax), (umax, 1), (0, 1), (12345 % (1 << w), 7), ((1 << w) * 3 + 5, 4), (umax * umax, umax)]
    signed = [(-7, 2), (7, -2), (-7, -2), (smin, 1), (smax * smax + smax - 1, smax), (smin * smax, smax), (smin * 2 + 1, 2), (smax, smin), (-1, smin)]
    return [("div", n, d) for n, d in unsigned] + [("idiv", n, d) for n, d in signed]


MACROS = """
; DIVIDE check, rax, rdx, divisor (rbx), instruction, rax, rdx
%macro DIVIDE 7
    CHECK %1
    mov rax, %2
    mov rdx, %3
    mov rbx, %4
    %5
    EXPECT rax, %6
    EXPECT rdx, %7
%endmacro
"""


def main():
    program = Program("division", "gen-division.py", "DIV and IDIV results at their limits", MACROS)
    for w in (8, 16, 32, 64):
        mask = (1 << w) - 1
        for op, n, d in cases(w):
            if op == "div":
                q, r = divmod(n, d)
            else:
                q = abs(n) // abs(d) * (1 if (n < 0) == (d < 0) else -1)
                r = n - q * d
            lo_limit, hi_limit = (0, mask) if op == "div" else (-(1 << (w - 1)), (1 << (w - 1)) - 1)
            assert lo_limit <= q <= hi_limit, (w, op, n, d)
            dividend = n & ((1 << (2 * w)) - 1)
            if w == 8:
                rax, rdx = HIGH_A[8] | dividend, HIGH_D[8]
                expect_a, expect_d = HIGH_A[8] | ((r & mask) << 8) | (q & mask), HIGH_D[8]
            else:
                rax, rdx = HIGH_A[w] | (dividend & mask), HIGH_D[w] | (dividend >> w)
                expect_a = (HIGH_A[w] if w == 16 else 0) | (q & mask)
                expect_d = (HIGH_D[w] if w == 16 else 0) | (r & mask)
            program.check("DIVIDE", f"{rax:#x}", f"{rdx:#x}", f"{d & mask:#x}", f"{{{op} {REGS[w]}}}", f"{expect_a:#x}", f"{expect_d:#x}")
    program.write()


main()
