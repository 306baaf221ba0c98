/**
 * Operand specifiers of the opcode data file (Intel SDM appendix A letters). The generator turns
 * each name into its index here; the decoder switches on the index through its own const enum
 * copy (checked by operand-spec.test.ts). Order is part of the table format: append only.
 */
export const OPERAND_SPECS = [
  "",
  // General registers from ModRM.reg, by size (v: operand size, y: 32/64, z: 16/32).
  "Gb", "Gw", "Gd", "Gq", "Gv", "Gy",
  // Register or memory from ModRM.rm.
  "Eb", "Ew", "Ed", "Eq", "Ev", "Ey",
  // Memory only, with the size objdump prints (M: none, Mp: far pointer, Mt: 80-bit).
  "M", "Mb", "Mw", "Md", "Mq", "Mdq", "Mx", "Mp", "Mt", "Mv", "My",
  // Immediates and branch targets.
  "Ib", "sIb", "Iw", "Iz", "Iv", "Jb", "Jz", "Ob", "Ov", "I1",
  // Fixed registers.
  "AL", "CL", "DX", "rAX", "eAX", "XMM0", "ST0",
  // Register in the opcode's low three bits.
  "Zb", "Zv", "Zq", "Zy",
  // Segment, control and debug registers from ModRM.reg.
  "Sw", "Cq", "Dq",
  // MMX: P from reg, Q reg-or-memory (q: 64-bit, d: 32-bit memory), N from rm.
  "Pq", "Qq", "Qd", "Nq",
  // SSE/AVX: V from reg, W reg-or-memory with its memory size, U register from rm, H from VEX.vvvv.
  "Vx", "Vdq", "Vqq", "Wx", "Wdq", "Wq", "Wd", "Ww", "Wb", "Ux", "Udq", "Hx", "Hdq", "By", "Lx",
  // x87: register from rm, memory by type.
  "STi", "Mf32", "Mf64", "Mf80", "Mi16", "Mi32", "Mi64", "Mbcd", "Menv", "Mst", "Ry", "Rv", "Rd", "Rq",
  // Implicit string operands: X at [rsi], Y at es:[rdi].
  "Xb", "Xv", "Yb", "Yv", "Yz", "Xz", "Mxlat",
  // Memory forms whose size depends on VEX.L / operand size.
  "Mqq", "Wqq", "Mdq2", "AX", "FS", "GS", "ES", "CS", "SS", "DS",
  // VSIB memory (gathers): vector index sized by VEX.L (L) or always xmm (X); element bytes.
  "VsL4", "VsX8", "VsL8",
  // AVX-512 mask registers (VEX-encoded k* instructions): from ModRM.reg, ModRM.rm, VEX.vvvv.
  "Kg", "Kr", "Kh",
  // AMX tile registers from ModRM.reg, ModRM.rm, VEX.vvvv; memory that must use a SIB byte.
  "Tg", "Tr", "Th", "Msib",
  // FMA4 scalar: an xmm register from imm8[7:4] whatever VEX.L says.
  "Ldq",
  // Outside 64-bit mode: a far pointer immediate (ptr16:16/32) and BOUND's pair of bounds.
  "Ap", "Ma",
  // A general register of the address size (movdir64b, enqcmd).
  "Ga",
] as const;

/** One operand specifier name. */
export type OperandSpecName = (typeof OPERAND_SPECS)[number];
