; An x87 FLD of a double straddling into the unmapped page faults with CR2 = the first unmapped
; byte and error code 4 before pushing: TOP, the tags, the status word and the stack are as
; before (the earlier rounds load 0.0 and add it to the 1.0 below).
; EXPECT-FAULT: PF 0x10002000 0x4
%include "harness.inc"
BEGIN
    fld1
    ROUNDS rsi, DATA + 0x1800, UNMAPPED - 4
    FAULTS_HERE
    fld qword [rsi]
    faddp st1, st0
    END_ROUNDS
