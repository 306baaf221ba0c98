// Mnemonics the emulated CPU is expected to get right in every differential case. A case is
// required to pass when all its instructions are listed here; the others are replayed and
// tallied but may fail. Add a mnemonic once its handler passes all its cases (diff/report.ts
// lists failures per mnemonic); never remove one to make the suite pass.
export const ALLOWED_MNEMONICS: ReadonlySet<string> = new Set([
  "addpd", "addps", "addsd", "adox", "aesenclast", "bextr", "blendvps", "bsf", "bswap", "bzhi", "call",
  "cdq", "cdqe", "clc", "cld", "clflush", "cmc", "cmova", "cmovae", "cmovbe", "cmovs", "cmps", "cmpss",
  "comisd", "comiss", "cqo", "cvtdq2ps", "cvtpd2dq", "cvtsd2si", "cvtsd2ss", "cvtsi2sd", "cvtsi2ss",
  "cvttpd2dq", "cwde", "divpd", "divsd", "dpps", "endbr32", "endbr64", "extractps", "haddpd", "haddps",
  "hsubps", "int3", "ja", "jb", "jbe", "je", "jg", "jl", "jle", "jne", "jno", "jnp", "jns", "jo", "jp",
  "jrcxz", "js", "lahf", "leave", "lfence", "lods", "loop", "loope", "loopne", "lzcnt", "maxps", "mfence",
  "minpd", "minps", "minsd", "minss", "movd", "movddup", "movhlps", "movlhps", "movmskpd", "movnti", "movs",
  "movsd", "movshdup", "movsxd", "mulpd", "mulx", "orpd", "orps", "pabsd", "pabsw", "packssdw", "packusdw",
  "paddb", "paddd", "paddq", "paddsb", "paddsw", "paddusw", "pand", "pause", "pavgb", "pblendw", "pclmulqdq",
  "pcmpeqb", "pcmpeqd", "pcmpestri", "pcmpgtb", "pcmpgtd", "pcmpistri", "pextrd", "pextrq", "phaddd",
  "phaddw", "phsubw", "pinsrb", "pinsrd", "pmaxud", "pmaxuw", "pminsb", "pminsw", "pminud", "pminuw",
  "pmovmskb", "pmovsxbd", "pmovsxbw", "pmovsxwd", "pmovzxbd", "pmovzxwd", "pmovzxwq", "pmuldq", "pmulhrsw",
  "popcnt", "popf", "por", "prefetch", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "prefetchw",
  "pshuflw", "psignw", "pslldq", "psllq", "psrld", "psrldq", "psrlw", "psubb", "psubsb", "psubsw", "psubusw",
  "punpckhbw", "punpckhdq", "punpckhqdq", "push", "pushf", "ret", "roundpd", "roundsd", "sahf", "seta",
  "setbe", "sete", "setg", "setns", "setp", "sfence", "shrx", "sqrtss", "stc", "stos", "subps", "subsd",
  "subss", "ucomisd", "ud0", "ud1", "ud2", "xlat", "xorpd",
]);
