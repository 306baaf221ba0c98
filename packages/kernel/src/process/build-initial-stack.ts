import {
  AT_BASE,
  AT_CLKTCK,
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_EXECFN,
  AT_FLAGS,
  AT_GID,
  AT_HWCAP,
  AT_HWCAP2,
  AT_MINSIGSTKSZ,
  AT_NULL,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_PLATFORM,
  AT_RANDOM,
  AT_SECURE,
  AT_SYSINFO_EHDR,
  AT_UID,
} from "./auxv-type.js";
import { StackLayoutError } from "./stack-layout-error.js";

/** The values the kernel reports in the auxiliary vector. Addresses are guest virtual addresses. */
export interface AuxvValues {
  /** AT_PHDR: the program headers in memory (`LoadPlan.phdrAddress`). */
  readonly phdr: number;
  /** AT_PHENT: size of one program header (56). */
  readonly phent: number;
  /** AT_PHNUM: number of program headers. */
  readonly phnum: number;
  /** AT_ENTRY: the program's entry point (not the interpreter's). */
  readonly entry: number;
  /** AT_BASE: the interpreter's load address, 0 for a static program. */
  readonly base: number;
  /** AT_RANDOM: the 16 random bytes placed on the stack (from the host's CSPRNG). */
  readonly random: Uint8Array;
  /** AT_HWCAP: CPUID.1:EDX of the emulated CPU. */
  readonly hwcap: number;
  /** AT_HWCAP2: x86 extra feature bits (0 when none). */
  readonly hwcap2: number;
  /** AT_SYSINFO_EHDR: the vDSO's address; the entry is left out when undefined. */
  readonly sysinfoEhdr?: number | undefined;
  /** AT_MINSIGSTKSZ: minimal signal stack; the entry is left out when undefined (as before Linux 5.14). */
  readonly minSigStackSize?: number | undefined;
  /** AT_PAGESZ, default 4096. */
  readonly pageSize?: number | undefined;
  /** AT_CLKTCK, default 100. */
  readonly clockTick?: number | undefined;
  /** AT_FLAGS, default 0. */
  readonly flags?: number | undefined;
  /** String AT_PLATFORM points to, default "x86_64". */
  readonly platform?: string | undefined;
  /** String AT_EXECFN points to: the path the program was started as. Default: argv[0]. */
  readonly execfn?: string | undefined;
  /** More `[type, value]` entries, written in order after AT_PLATFORM and before AT_NULL. */
  readonly extra?: readonly (readonly [number, number])[] | undefined;
}

/** What {@link buildInitialStack} lays out. */
export interface InitialStackInput {
  /** Program arguments; argv[0] is the program name. */
  readonly argv: readonly string[];
  /** Environment strings, `NAME=value`. */
  readonly envp: readonly string[];
  /** Auxiliary vector values. */
  readonly auxv: AuxvValues;
  /** Address just above the stack (exclusive end), 16-byte aligned. */
  readonly stackTop: number;
  /** Largest image allowed, in bytes (default 512 KiB: a quarter of Nanos's 2 MiB stack, Linux's rule). */
  readonly maxSize?: number | undefined;
}

/** The built stack: the bytes to copy to `[base, stackTop)` and where everything landed. */
export interface InitialStack {
  /** Stack contents from `base` up to `stackTop`. */
  readonly bytes: Uint8Array;
  /** Guest address of `bytes[0]`; equal to `rsp`. */
  readonly base: number;
  /** Initial RSP: 16-byte aligned, pointing at argc. */
  readonly rsp: number;
  /** Address of each argv string. */
  readonly argvAddresses: readonly number[];
  /** Address of each envp string. */
  readonly envpAddresses: readonly number[];
  /** Auxiliary vector as written, `[type, value]` pairs ending with AT_NULL. */
  readonly auxv: readonly (readonly [number, number])[];
  /** Address of the 16 AT_RANDOM bytes. */
  readonly randomAddress: number;
  /** Address of the platform string. */
  readonly platformAddress: number;
  /** Address of the AT_EXECFN string. */
  readonly execfnAddress: number;
}

const utf8 = new TextEncoder();

function encodeString(s: string, what: string): Uint8Array {
  if (s.includes("\0")) throw new StackLayoutError(`${what} contains a NUL character, which would cut it short`);
  return utf8.encode(s);
}

function checkWord(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StackLayoutError(`${what} must be a non-negative integer below 2^53, got ${value}`);
  }
}

/**
 * Builds the initial stack of a Linux x86-64 process exactly as Linux's execve lays it out,
 * without its random gap (the caller randomises `stackTop` instead), from the top down:
 *
 * - 8 zero bytes at `stackTop`, the AT_EXECFN string, the envp strings and the argv strings
 *   (so in memory argv[0] comes first and they all follow each other);
 * - alignment to 16 bytes, then the platform string and the 16 AT_RANDOM bytes below it;
 * - zero padding so that RSP ends 16-byte aligned;
 * - at RSP: argc, argv pointers, NULL, envp pointers, NULL, the auxv pairs in Linux's order,
 *   AT_NULL.
 *
 * Throws {@link StackLayoutError} for a misaligned top, strings holding NUL, a wrong AT_RANDOM
 * size or an image larger than `maxSize`.
 *
 * @example
 * ```ts
 * const stack = buildInitialStack({ argv: ["/hello"], envp: ["HOME=/"], stackTop: 0x1_0000_0000,
 *   auxv: { phdr: 0x400040, phent: 56, phnum: 9, entry: 0x401000, base: 0,
 *           random: crypto.getRandomValues(new Uint8Array(16)), hwcap: 0x178bfbff, hwcap2: 0 } });
 * memory.set(stack.bytes, stack.base); // then start the CPU with rsp = stack.rsp
 * ```
 */
export function buildInitialStack(input: InitialStackInput): InitialStack {
  const { argv, envp, auxv, stackTop } = input;
  const maxSize = input.maxSize ?? 512 * 1024;
  if (!Number.isSafeInteger(stackTop) || stackTop <= 0 || stackTop % 16 !== 0) {
    throw new StackLayoutError(`stack top ${stackTop} must be a positive 16-byte aligned address`);
  }
  if (auxv.random.length !== 16) throw new StackLayoutError(`AT_RANDOM needs exactly 16 bytes, got ${auxv.random.length}`);

  const argBytes = argv.map((s, i) => encodeString(s, `argv[${i}]`));
  const envBytes = envp.map((s, i) => encodeString(s, `envp[${i}]`));
  const execfn = encodeString(auxv.execfn ?? argv[0] ?? "", "AT_EXECFN");
  const platform = encodeString(auxv.platform ?? "x86_64", "AT_PLATFORM");

  // Strings first, top down.
  let p = stackTop - 8;
  p -= execfn.length + 1;
  const execfnAddress = p;
  const strings = [...argBytes, ...envBytes];
  const stringBytes = strings.reduce((n, s) => n + s.length + 1, 0);
  p -= stringBytes;
  const stringsStart = p;
  const addresses: number[] = [];
  let q = stringsStart;
  for (const s of strings) {
    addresses.push(q);
    q += s.length + 1;
  }
  p -= p % 16;
  p -= platform.length + 1;
  const platformAddress = p;
  p -= 16;
  const randomAddress = p;

  const pairs: [number, number][] = [];
  const add = (type: number, value: number, what: string): void => {
    checkWord(value, what);
    pairs.push([type, value]);
  };
  // The vector's length decides RSP, so the size limit is checked before any value.
  const pairCount = 19 /* 18 fixed entries and AT_NULL */ + (auxv.sysinfoEhdr === undefined ? 0 : 1) + (auxv.minSigStackSize === undefined ? 0 : 1) + (auxv.extra?.length ?? 0);
  const words = 1 + argv.length + 1 + envp.length + 1 + 2 * pairCount;
  const rsp = Math.floor((p - 8 * words) / 16) * 16;
  if (stackTop - rsp > maxSize) {
    throw new StackLayoutError(
      `arguments, environment and auxiliary vector need ${stackTop - rsp} bytes of stack, more than the ${maxSize}-byte limit (E2BIG)`,
    );
  }
  if (rsp <= 0) throw new StackLayoutError(`stack top 0x${stackTop.toString(16)} is too low to hold the ${stackTop - rsp}-byte initial stack`);

  if (auxv.sysinfoEhdr !== undefined) add(AT_SYSINFO_EHDR, auxv.sysinfoEhdr, "AT_SYSINFO_EHDR");
  if (auxv.minSigStackSize !== undefined) add(AT_MINSIGSTKSZ, auxv.minSigStackSize, "AT_MINSIGSTKSZ");
  add(AT_HWCAP, auxv.hwcap, "AT_HWCAP");
  add(AT_PAGESZ, auxv.pageSize ?? 4096, "AT_PAGESZ");
  add(AT_CLKTCK, auxv.clockTick ?? 100, "AT_CLKTCK");
  add(AT_PHDR, auxv.phdr, "AT_PHDR");
  add(AT_PHENT, auxv.phent, "AT_PHENT");
  add(AT_PHNUM, auxv.phnum, "AT_PHNUM");
  add(AT_BASE, auxv.base, "AT_BASE");
  add(AT_FLAGS, auxv.flags ?? 0, "AT_FLAGS");
  add(AT_ENTRY, auxv.entry, "AT_ENTRY");
  add(AT_UID, 0, "AT_UID");
  add(AT_EUID, 0, "AT_EUID");
  add(AT_GID, 0, "AT_GID");
  add(AT_EGID, 0, "AT_EGID");
  add(AT_SECURE, 0, "AT_SECURE");
  add(AT_RANDOM, randomAddress, "AT_RANDOM");
  add(AT_HWCAP2, auxv.hwcap2, "AT_HWCAP2");
  add(AT_EXECFN, execfnAddress, "AT_EXECFN");
  add(AT_PLATFORM, platformAddress, "AT_PLATFORM");
  for (const [type, value] of auxv.extra ?? []) {
    if (type === AT_NULL) throw new StackLayoutError("an extra auxv entry cannot be AT_NULL: it would end the vector early");
    checkWord(type, "extra auxv type");
    add(type, value, `auxv entry ${type}`);
  }
  pairs.push([AT_NULL, 0]);

  const bytes = new Uint8Array(stackTop - rsp);
  const view = new DataView(bytes.buffer);
  const put = (address: number, value: number): void => {
    const at = address - rsp;
    view.setUint32(at, value % 0x100000000, true);
    view.setUint32(at + 4, Math.floor(value / 0x100000000), true);
  };
  let w = rsp;
  const push = (value: number): void => {
    put(w, value);
    w += 8;
  };
  push(argv.length);
  for (let i = 0; i < argv.length; i++) push(addresses[i] as number);
  push(0);
  for (let i = 0; i < envp.length; i++) push(addresses[argv.length + i] as number);
  push(0);
  for (const [type, value] of pairs) {
    push(type);
    push(value);
  }
  bytes.set(auxv.random, randomAddress - rsp);
  bytes.set(platform, platformAddress - rsp);
  strings.forEach((s, i) => bytes.set(s, (addresses[i] as number) - rsp));
  bytes.set(execfn, execfnAddress - rsp);

  return {
    bytes,
    base: rsp,
    rsp,
    argvAddresses: addresses.slice(0, argv.length),
    envpAddresses: addresses.slice(argv.length),
    auxv: pairs,
    randomAddress,
    platformAddress,
    execfnAddress,
  };
}
