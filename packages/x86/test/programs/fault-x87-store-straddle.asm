; An x87 FSTP of an 80-bit value straddling into the unmapped page faults with CR2 = the first
; unmapped byte and error code 6 without popping or writing: TOP, the tags and the stack are as
; before (the earlier rounds store inside the page and push the value back).
; EXPECT-FAULT: PF 0x10002000 0x6
%include "harness.inc"
BEGIN
    fldpi
    fld1
    ROUNDS rdi, DATA + 0x1800, UNMAPPED - 3
    FAULTS_HERE
    fstp tword [rdi]
    fld1
    END_ROUNDS
