export { Cpu, type CpuOptions, type TraceHook } from "./cpu.js";
export { Exit, Vector, PageFaultCode, type FaultInfo } from "./exit.js";
export { Flag } from "./flags.js";
export { Instr, type Handler } from "./instr.js";
export { Access, Mmu, type GuestMemory, type MemoryOptions } from "./mmu.js";
export { PageTableBuilder, type PagePermissions } from "./page-table-builder.js";
export { cpuid, FEATURES, type CpuFeatures } from "./cpuid.js";
export { implementedMnemonics, isImplemented } from "./handlers.js";
export { BareMachine, BARE_LAYOUT } from "./bare-machine.js";
