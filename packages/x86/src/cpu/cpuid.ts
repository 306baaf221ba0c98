// CPUID: what the guest learns about its processor. It advertises exactly what this CPU
// implements, so glibc's and Go's feature dispatch pick code paths that run here.

/** Feature bits CPUID reports; a bit is set only when its instructions are implemented. */
export interface CpuFeatures {
  /** Leaf 1 ECX. */
  leaf1Ecx: number;
  /** Leaf 1 EDX. */
  leaf1Edx: number;
  /** Leaf 7 subleaf 0 EBX. */
  leaf7Ebx: number;
  /** Leaf 0x80000001 ECX. */
  extEcx: number;
  /** Leaf 0x80000001 EDX. */
  extEdx: number;
}

const bit = (n: number): number => (1 << n) >>> 0;

/** The features this CPU implements. */
export const FEATURES: CpuFeatures = {
  // SSE3, PCLMULQDQ, SSSE3, CX16, SSE4.1, SSE4.2, MOVBE, POPCNT, AES, XSAVE, OSXSAVE, RDRAND
  leaf1Ecx: bit(0) | bit(1) | bit(9) | bit(13) | bit(19) | bit(20) | bit(22) | bit(23) | bit(25) | bit(26) | bit(27) | bit(30),
  // FPU, TSC, CX8, CMOV, CLFSH, MMX, FXSR, SSE, SSE2
  leaf1Edx: bit(0) | bit(4) | bit(8) | bit(15) | bit(19) | bit(23) | bit(24) | bit(25) | bit(26),
  // BMI1, BMI2, ERMS, RDSEED, ADX, CLFLUSHOPT, SHA
  leaf7Ebx: bit(3) | bit(8) | bit(9) | bit(18) | bit(19) | bit(23) | bit(29),
  // LAHF/SAHF in 64-bit mode, LZCNT, PREFETCHW
  extEcx: bit(0) | bit(5) | bit(8),
  // SYSCALL, NX, RDTSCP, long mode
  extEdx: bit(11) | bit(20) | bit(27) | bit(29),
};

function ascii4(s: string, at: number): number {
  let v = 0;
  for (let k = 3; k >= 0; k--) v = (v << 8) | (s.charCodeAt(at + k) || 0);
  return v | 0;
}

const BRAND = "nanots x86-64 interpreter".padEnd(48, "\0");

/**
 * The four results of CPUID for `leaf`/`subleaf` as [eax, ebx, ecx, edx] (int32 values).
 */
export function cpuid(leaf: number, subleaf: number, features: CpuFeatures = FEATURES): [number, number, number, number] {
  switch (leaf >>> 0) {
    case 0:
      // Highest basic leaf and "GenuineIntel" (ebx, edx, ecx).
      return [0xd, ascii4("Genu", 0), ascii4("ntel", 0), ascii4("ineI", 0)];
    case 1:
      // Family 6 model 0x55-like signature; one logical processor; CLFLUSH line size 8 × 8.
      return [0x000506e3, 0x00010800, features.leaf1Ecx | 0, features.leaf1Edx | 0];
    case 7:
      return subleaf === 0 ? [0, features.leaf7Ebx | 0, 0, 0] : [0, 0, 0, 0];
    case 0xd:
      // XSAVE: components x87 and SSE (XCR0 = 3); the legacy area plus header is 576 bytes.
      if (subleaf === 0) return [3, 576, 576, 0];
      // XSAVEOPT and XSAVEC (with the x87 and SSE components, the compacted size is the same).
      if (subleaf === 1) return [3, 576, 0, 0];
      return [0, 0, 0, 0];
    case 0x80000000:
      return [0x80000008 | 0, 0, 0, 0];
    case 0x80000001:
      return [0, 0, features.extEcx | 0, features.extEdx | 0];
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const at = ((leaf >>> 0) - 0x80000002) * 16;
      return [ascii4(BRAND, at), ascii4(BRAND, at + 4), ascii4(BRAND, at + 8), ascii4(BRAND, at + 12)];
    }
    case 0x80000008:
      // 48-bit virtual and 39-bit physical addresses.
      return [0x3027, 0, 0, 0];
    default:
      return [0, 0, 0, 0];
  }
}
