.intel_syntax noprefix
palignr xmm0, [rax], 1
