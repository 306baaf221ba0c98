.intel_syntax noprefix
dec rcx
