#!/usr/bin/env python3
"""Writes bit-ops.asm: BT/BTS/BTR/BTC with register and immediate offsets (offsets past the width
wrap for register operands), BSF/BSR, TZCNT/LZCNT and POPCNT at 16/32/64 bits, with their
results and defined flags (SDM: BT* set CF, keep ZF; BSF/BSR set ZF; TZCNT/LZCNT set CF and ZF;
POPCNT sets ZF and clears CF, PF, AF, SF, OF). Flags the SDM leaves undefined are masked out, and
BSF/BSR of zero, whose destination is undefined, are checked for ZF only. The host CPU (which
has BMI1/ABM) confirms them."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source folder
from program_writer import Program  # noqa: E402

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
ALL = CF | PF | AF | ZF | SF | OF
REGS = {16: ("ax", "bx"), 32: ("eax", "ebx"), 64: ("rax", "rbx")}
UPPER = {16: 0x1122334455660000, 32: 0x1122334400000000, 64: 0}  # bits above the operand before
HIGH = {16: UPPER[16], 32: 0, 64: 0}  # and after a write to it
PATTERN = {16: 0x8421, 32: 0x80F0_0421, 64: 0x8000_F00F_0000_0A21}


def sources(w):
    return [1, 1 << (w - 1), PATTERN[w], (1 << w) - 1, 0]


MACROS = """
; BIT check, rax, offset (rbx), flags in, instruction, CF|ZF expected, rax
%macro BIT 7
    CHECK %1
    mov rax, %2
    mov rbx, %3
    push %4
    popfq
    %5
    EXPECT_FLAGS CF | ZF, %6
    EXPECT rax, %7
%endmacro

; SCAN check, source (rbx), rax before, instruction, flags mask, flags[, rax]
%macro SCAN 6-7
    CHECK %1
    mov rbx, %2
    mov rax, %3
    push 0x202 | 0x8d5
    popfq
    %4
    EXPECT_FLAGS %5, %6
%if %0 == 7
    EXPECT rax, %7
%endif
%endmacro
"""


def main():
    program = Program("bit-ops", "gen-bit-ops.py", "bit test, bit scan and bit count results and flags", MACROS)
    for w in (16, 32, 64):
        dst, src = REGS[w]
        m = (1 << w) - 1
        for op in ("bt", "bts", "btr", "btc"):
            for offset in (0, 5, w - 1, w, w + 3):
                for form in ("register", "immediate"):
                    if form == "immediate" and offset >= w:
                        continue  # an immediate offset is taken modulo the width too, but nasm warns
                    for flags_in in (0x202, 0x202 | ALL):
                        a = PATTERN[w]
                        bit = offset % w
                        cf = (a >> bit) & 1
                        r = {"bt": a, "bts": a | (1 << bit), "btr": a & ~(1 << bit) & m, "btc": a ^ (1 << bit)}[op]
                        operand = src if form == "register" else str(offset)
                        before = UPPER[w] | a
                        # BT writes nothing; a 32-bit write zeroes the upper half, a 16-bit one keeps it.
                        after = before if op == "bt" else (UPPER[w] if w == 16 else 0) | r
                        program.check("BIT", f"{before:#x}", offset, f"{flags_in:#x}", f"{{{op} {dst}, {operand}}}", f"{cf | (flags_in & ZF):#x}", f"{after:#x}")
        for a in sources(w):
            tz = next((k for k in range(w) if a >> k & 1), w)
            lz = next((k for k in range(w) if a >> (w - 1 - k) & 1), w)
            count = bin(a).count("1")
            for op, result, flags, mask in (
                ("bsf", tz, ZF if a == 0 else 0, ZF),
                ("bsr", w - 1 - lz, ZF if a == 0 else 0, ZF),
                ("tzcnt", tz, (CF if a == 0 else 0) | (ZF if tz == 0 else 0), CF | ZF),
                ("lzcnt", lz, (CF if a == 0 else 0) | (ZF if lz == 0 else 0), CF | ZF),
                ("popcnt", count, ZF if a == 0 else 0, ALL),
            ):
                args = [f"{a:#x}", f"{UPPER[w] | 0x7777:#x}", f"{{{op} {dst}, {src}}}", f"{mask:#x}", f"{flags:#x}"]
                if not (op in ("bsf", "bsr") and a == 0):
                    args.append(f"{HIGH[w] | result:#x}")
                program.check("SCAN", *args)
    program.write()


main()
