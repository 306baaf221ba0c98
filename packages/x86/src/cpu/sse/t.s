.intel_syntax noprefix
pxor mm0, mm0
