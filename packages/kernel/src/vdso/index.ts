// The vDSO of @nanots/kernel: re-exports only.
export { buildVdso, LINUX_VDSO_SONAME, LINUX_VDSO_VERSION, NANOS_LINUX_VERSION, type Vdso, type VdsoOptions } from "./build-vdso.js";
export { LINUX_VDSO_FUNCTIONS, type VdsoFunction } from "./vdso-function.js";
export { VdsoError } from "./vdso-error.js";
export { elfHash, gnuHash } from "./symbol-hash.js";
export { syscallStub, SYSCALL_STUB_SIZE } from "./syscall-stub.js";
