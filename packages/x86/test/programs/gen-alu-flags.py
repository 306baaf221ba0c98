#!/usr/bin/env python3
"""Writes alu-flags.asm: every integer ALU operation at the width boundaries (8/16/32/64 bits:
0x7f+1, 0xff+1, 0x80-1, 0-1 and friends), each with the arithmetic flags all clear and all set
on entry (so adc/sbb see both carries and inc/dec/rotates must preserve what they do not define);
shifts and rotates also by CL with counts around the width and the count mask (a masked count
of 0 changes no flag); one-operand MUL and IMUL with their rdx:rax results; XADD and CMPXCHG.

The expected results and flags come from the model below, written from the Intel SDM's
definitions (vol. 2, each instruction's "Flags Affected"); the host CPU confirms them when
programs.test.ts runs the ELF form natively. Flags the SDM leaves undefined are masked out."""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source folder
from program_writer import Program  # noqa: E402

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
ALL = CF | PF | AF | ZF | SF | OF
REGS = {8: ("al", "bl"), 16: ("ax", "bx"), 32: ("eax", "ebx"), 64: ("rax", "rbx")}
EXCHANGE_REGS = {8: ("bl", "cl"), 16: ("bx", "cx"), 32: ("ebx", "ecx"), 64: ("rbx", "rcx")}
# Bits above the operand that 8/16-bit operations must leave alone (32-bit ones zero them).
HIGH = {8: 0x1122334455667700, 16: 0x1122334455660000, 32: 0x1122334400000000, 64: 0}
# Operands for the shifts by CL: a value with its top and bottom bits set, and one with a mixed pattern.
HIGH_BIT_PATTERNS = {8: 0xB6, 16: 0xB6D9, 32: 0xB6D9_1E4B, 64: 0xB6D9_1E4B_7A0C_3F25}


def szp(r, w):
    f = 0
    if r == 0:
        f |= ZF
    if r >> (w - 1):
        f |= SF
    if bin(r & 0xFF).count("1") % 2 == 0:
        f |= PF
    return f


def add(a, b, cin, w):
    m = (1 << w) - 1
    s = a + b + cin
    r = s & m
    f = szp(r, w) | (CF if s > m else 0) | (AF if (a ^ b ^ r) & 0x10 else 0)
    if (a >> (w - 1)) == (b >> (w - 1)) != (r >> (w - 1)):
        f |= OF
    return r, f


def sub(a, b, cin, w):
    m = (1 << w) - 1
    r = (a - b - cin) & m
    f = szp(r, w) | (CF if a < b + cin else 0) | (AF if (a ^ b ^ r) & 0x10 else 0)
    if (a >> (w - 1)) != (b >> (w - 1)) and (r >> (w - 1)) != (a >> (w - 1)):
        f |= OF
    return r, f


def signed(v, w):
    return v - (1 << w) if v >> (w - 1) else v


def model(op, a, b, flags_in, w):
    """(result, flags, mask of defined flags) of `op dst=a, src=b` with flags_in on entry."""
    m = (1 << w) - 1
    cin = flags_in & CF
    msb = lambda v: (v >> (w - 1)) & 1
    if op == "add":
        return (*add(a, b, 0, w), ALL)
    if op == "adc":
        return (*add(a, b, cin, w), ALL)
    if op == "sub":
        return (*sub(a, b, 0, w), ALL)
    if op == "sbb":
        return (*sub(a, b, cin, w), ALL)
    if op == "cmp":
        return a, sub(a, b, 0, w)[1], ALL
    if op in ("and", "or", "xor", "test"):
        r = {"and": a & b, "or": a | b, "xor": a ^ b, "test": a & b}[op]
        return (a if op == "test" else r), szp(r, w), ALL & ~AF
    if op == "inc":
        r, f = add(a, 1, 0, w)
        return r, (f & ~CF) | cin, ALL
    if op == "dec":
        r, f = sub(a, 1, 0, w)
        return r, (f & ~CF) | cin, ALL
    if op == "neg":
        r, f = sub(0, a, 0, w)
        return r, f, ALL
    if op == "shl":
        r = (a << 1) & m
        return r, szp(r, w) | msb(a) * CF | (msb(r) ^ msb(a)) * OF, ALL & ~AF
    if op == "shr":
        r = a >> 1
        return r, szp(r, w) | (a & 1) * CF | msb(a) * OF, ALL & ~AF
    if op == "sar":
        r = (a >> 1) | (a & (1 << (w - 1)))
        return r, szp(r, w) | (a & 1) * CF, ALL & ~AF
    keep = flags_in & (PF | AF | ZF | SF)  # rotates leave these alone
    if op == "rol":
        r = ((a << 1) | msb(a)) & m
        return r, keep | (r & 1) * CF | (msb(r) ^ (r & 1)) * OF, ALL
    if op == "ror":
        r = (a >> 1) | ((a & 1) << (w - 1))
        return r, keep | msb(r) * CF | (msb(r) ^ ((r >> (w - 2)) & 1)) * OF, ALL
    if op == "rcl":
        r = ((a << 1) | cin) & m
        return r, keep | msb(a) * CF | (msb(r) ^ msb(a)) * OF, ALL
    if op == "rcr":
        r = (a >> 1) | (cin << (w - 1))
        return r, keep | (a & 1) * CF | (msb(a) ^ cin) * OF, ALL
    if op == "imul":
        full = signed(a, w) * signed(b, w)
        r = full & m
        return r, (CF | OF) if signed(r, w) != full else 0, CF | OF
    raise ValueError(op)


BINARY = ["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor", "test", "imul"]
UNARY = ["inc", "dec", "neg"]
SHIFT = ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]


def operands(w):
    smax, smin, umax = (1 << (w - 1)) - 1, 1 << (w - 1), (1 << w) - 1
    return [(smax, 1), (umax, 1), (smin, 1), (0, 1), (smin, umax), (smax, smax), (smin, smin), (0, 0), (0x0F, 0x01), (umax, umax)]


def shift_by(op, a, count, flags_in, w):
    """(result, flags, defined-flags mask) of `op dst=a, cl=count` (SDM: SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR)."""
    m = (1 << w) - 1
    masked = count & (0x3F if w == 64 else 0x1F)
    if masked == 0:
        return a, flags_in & ALL, ALL
    msb = lambda v: (v >> (w - 1)) & 1
    defined = ALL & ~AF if op in ("shl", "shr", "sar") else ALL
    if masked != 1:
        defined &= ~OF
    if op in ("shl", "shr") and masked >= w:
        defined &= ~CF  # "undefined for SHL and SHR where the count is >= the operand size"
    if op == "shl":
        r = (a << masked) & m
        cf = (a >> (w - masked)) & 1 if masked <= w else 0
        return r, szp(r, w) | cf * CF | (msb(r) ^ cf) * OF, defined
    if op == "shr":
        r = a >> masked
        return r, szp(r, w) | ((a >> (masked - 1)) & 1) * CF | msb(a) * OF, defined
    if op == "sar":
        v = signed(a, w)
        r = (v >> masked) & m
        return r, szp(r, w) | ((v >> (masked - 1)) & 1) * CF, defined
    keep = flags_in & (PF | AF | ZF | SF)
    if op in ("rol", "ror"):
        n = masked % w
        r = ((a << n) | (a >> (w - n))) & m if op == "rol" else ((a >> n) | (a << (w - n))) & m
        cf = r & 1 if op == "rol" else msb(r)
        of = msb(r) ^ cf if op == "rol" else msb(r) ^ ((r >> (w - 2)) & 1)
        return r, keep | cf * CF | of * OF, defined
    # rcl/rcr rotate the w+1 bits CF:dst; 8/16-bit counts are taken modulo 9/17.
    n = masked % (w + 1) if w < 32 else masked
    cf = flags_in & CF
    r = a
    for _ in range(n):
        if op == "rcl":
            r, cf = ((r << 1) | cf) & m, msb(r)
        else:
            r, cf = (r >> 1) | (cf << (w - 1)), r & 1
    of = msb(r) ^ cf if op == "rcl" else msb(r) ^ ((r >> (w - 2)) & 1)
    return r, keep | cf * CF | of * OF, defined


def multiply(op, a, b, w):
    """(rax result bits, rdx result bits or None, CF/OF) of one-operand `op src=b` with the
    accumulator a (the result goes to ax for 8 bits, else rdx:rax halves)."""
    m = (1 << w) - 1
    full = a * b if op == "mul" else signed(a, w) * signed(b, w)
    bits = full & ((1 << (2 * w)) - 1)
    lo, hi = bits & m, bits >> w
    overflow = hi != 0 if op == "mul" else full != signed(lo, w)
    flags = (CF | OF) if overflow else 0
    if w == 8:
        return bits, None, flags
    return lo, hi, flags


MACROS = """
; ALU check, rax, rbx and rcx (one value for both), flags in, instruction, flags mask, flags, rax
%macro ALU 8
    CHECK %1
    mov rax, %2
    mov rbx, %3
    mov rcx, %3
    push %4
    popfq
    %5
    EXPECT_FLAGS %6, %7
    EXPECT rax, %8
%endmacro

; EXCHANGE check, rax, rbx, rcx, flags in, instruction, flags, rax, rbx, rcx
%macro EXCHANGE 10
    CHECK %1
    mov rax, %2
    mov rbx, %3
    mov rcx, %4
    push %5
    popfq
    %6
    EXPECT_FLAGS 0x8d5, %7
    EXPECT rax, %8
    EXPECT rbx, %9
    EXPECT rcx, %10
%endmacro

; MUL check, rax, source (rbx), rdx, instruction, CF|OF expected, rax, rdx
%macro MUL 8
    CHECK %1
    mov rax, %2
    mov rbx, %3
    mov rdx, %4
    %5
    EXPECT_FLAGS CF | OF, %6
    EXPECT rax, %7
    EXPECT rdx, %8
%endmacro
"""


def main():
    program = Program("alu-flags", "gen-alu-flags.py", "flags of every ALU op at width boundaries", MACROS)
    for w in (8, 16, 32, 64):
        dst, src = REGS[w]
        for op in BINARY + UNARY + SHIFT:
            if op == "imul" and w == 8:
                continue  # no two-operand 8-bit imul
            for a, b in operands(w):
                if op not in BINARY and b != 1:
                    continue  # unary ops and shifts by one: each a once
                for flags_in in (0x202, 0x202 | ALL):
                    r, f, mask = model(op, a, b, flags_in, w)
                    # 32-bit writes zero the upper half; cmp and test write nothing.
                    expected = HIGH[w] | a if op in ("cmp", "test") else (0 if w == 32 else HIGH[w]) | r
                    form = f"{op} {dst}, {src}" if op in BINARY else (f"{op} {dst}" if op in UNARY else f"{op} {dst}, 1")
                    program.check("ALU", f"{HIGH[w] | a:#x}", f"{b:#x}", f"{flags_in:#x}", f"{{{form}}}", f"{mask:#x}", f"{f & mask:#x}", f"{expected:#x}")
        for op in SHIFT:
            for a in (0x81 << (w - 8), HIGH_BIT_PATTERNS[w]):
                for count in sorted({0, 2, 3, w - 1, w, w + 1, 31, 32, 33, 63, 64, 65, 255}):
                    for flags_in in (0x202, 0x202 | ALL):
                        r, f, mask = shift_by(op, a, count, flags_in, w)
                        # 32-bit forms zero the upper half even when the masked count is 0.
                        expected = (0 if w == 32 else HIGH[w]) | r
                        program.check("ALU", f"{HIGH[w] | a:#x}", count, f"{flags_in:#x}", f"{{{op} {dst}, cl}}", f"{mask:#x}", f"{f & mask:#x}", f"{expected:#x}")
        for op in ("mul", "imul"):
            for a, b in operands(w):
                lo, hi, f = multiply(op, a, b, w)
                if w == 8:
                    rax, rdx = (HIGH[8] & ~0xFF00) | lo, HIGH[8] | 0x5A  # ax = al * bl; rdx untouched
                else:
                    rax = HIGH[16] | lo if w == 16 else lo
                    rdx = HIGH[16] | hi if w == 16 else hi
                program.check("MUL", f"{HIGH[w] | a:#x}", f"{b:#x}", f"{HIGH[w] | 0x5A:#x}", f"{{{op} {src}}}", f"{f:#x}", f"{rax:#x}", f"{rdx:#x}")
        # XADD and CMPXCHG (equal and unequal). 32-bit CMPXCHG starts with clear upper halves: which
        # registers it writes back when the comparison fails is where Intel and AMD may differ.
        dst, src = EXCHANGE_REGS[w]
        high = 0 if w == 32 else HIGH[w]
        for a, b in operands(w):
            for flags_in in (0x202, 0x202 | ALL):
                r, f = add(a, b, 0, w)
                written = 0 if w == 32 else HIGH[w]
                program.check("EXCHANGE", f"{HIGH[w] | 0x33:#x}", f"{HIGH[w] | a:#x}", f"{HIGH[w] | b:#x}", f"{flags_in:#x}",
                              f"{{xadd {dst}, {src}}}", f"{f:#x}", f"{HIGH[w] | 0x33:#x}", f"{written | r:#x}", f"{written | a:#x}")
            for acc in (a, b):
                _, f = sub(acc, a, 0, w)
                if acc == a:  # equal: the destination takes the source
                    rax, rbx = high | acc, (0 if w == 32 else high) | b
                else:  # unequal: the accumulator takes the destination
                    rax, rbx = high | a, high | a
                program.check("EXCHANGE", f"{high | acc:#x}", f"{high | a:#x}", f"{high | b:#x}", "0x202",
                              f"{{cmpxchg {dst}, {src}}}", f"{f:#x}", f"{rax:#x}", f"{rbx:#x}", f"{high | b:#x}")
    program.write()


main()
