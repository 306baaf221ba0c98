// Mnemonics the emulated CPU is expected to get right in every differential case. A case is
// required to pass when all its instructions are listed here; the others are replayed and
// tallied but may fail. Add a mnemonic once its handler passes all its cases (diff/report.ts
// lists failures per mnemonic); never remove one to make the suite pass.
export const ALLOWED_MNEMONICS: ReadonlySet<string> = new Set([
  "addsd", "addss", "aesdec", "aesenc", "aesimc", "andnps", "blendvps", "bswap", "cdq", "cdqe", "clc", "cld",
  "cmc", "cmpps", "cmpsd", "cmpss", "comisd", "cqo", "cvtdq2ps", "cvtpd2dq", "cvtpd2ps", "cvtps2pd",
  "cvtsi2ss", "cvtss2sd", "cvttps2dq", "cwde", "dpps", "endbr32", "endbr64", "haddpd", "hsubpd", "hsubps",
  "int3", "ja", "jae", "jb", "jbe", "je", "jg", "jge", "jl", "jle", "jne", "jno", "jnp", "jns", "jo", "jp",
  "jrcxz", "js", "lahf", "lfence", "loop", "loope", "loopne", "maxpd", "mfence", "minps", "movd", "movhlps",
  "movlhps", "movmskpd", "movmskps", "movsldup", "mulpd", "pabsw", "packsswb", "packusdw", "paddb",
  "paddusw", "pause", "pavgw", "pblendvb", "pblendw", "pcmpeqq", "pcmpgtb", "pcmpgtd", "pcmpgtw", "pextrd",
  "pextrq", "phaddsw", "phaddw", "pmaddubsw", "pmaxsw", "pmaxub", "pmaxud", "pminsb", "pminuw", "pmovmskb",
  "pmovsxbw", "pmovsxdq", "pmovsxwq", "pmuldq", "pmulhw", "pmullw", "popf", "por", "prefetch", "prefetchnta",
  "prefetcht0", "prefetcht1", "prefetcht2", "prefetchw", "pshufd", "psignb", "psignd", "psignw", "pslldq",
  "psllw", "psraw", "psrldq", "psubb", "psubd", "psubsb", "psubsw", "ptest", "punpckhbw", "punpckhdq",
  "punpcklbw", "punpckldq", "punpcklqdq", "pushf", "ret", "roundpd", "roundps", "roundsd", "sahf", "seta",
  "sete", "sfence", "shufpd", "sqrtpd", "sqrtps", "sqrtss", "stc", "std", "subpd", "ud0", "ud1", "ud2",
  "unpckhpd", "unpcklps", "xorpd", "xorps",
]);
