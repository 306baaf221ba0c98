import { AT_EXECFN, AT_NULL, AT_PLATFORM, AT_RANDOM } from "./auxv-type.js";
import { StackLayoutError } from "./stack-layout-error.js";

/** A string on the stack and where it is. */
export interface StackString {
  /** Guest address of the first byte. */
  readonly address: number;
  /** The text (UTF-8 decoded, up to the NUL). */
  readonly value: string;
}

/** An initial stack as a program sees it at entry. */
export interface ParsedInitialStack {
  /** The stack pointer it was read from. */
  readonly rsp: number;
  /** argc as stored at rsp. */
  readonly argc: number;
  /** The argv strings. */
  readonly argv: readonly StackString[];
  /** The environment strings. */
  readonly envp: readonly StackString[];
  /** Address of the first auxv pair. */
  readonly auxvAddress: number;
  /** Auxv pairs in order, including the final AT_NULL. */
  readonly auxv: readonly (readonly [number, number])[];
  /** The 16 bytes AT_RANDOM points to, when present. */
  readonly random: Uint8Array | undefined;
  /** The string AT_PLATFORM points to, when present. */
  readonly platform: string | undefined;
  /** The string AT_EXECFN points to, when present. */
  readonly execfn: string | undefined;
}

const utf8 = new TextDecoder();

/**
 * Reads back an initial process stack from `memory`, which holds guest addresses
 * `[base, base + memory.length)`, starting at `rsp`: argc, argv, envp, the auxiliary vector
 * and the strings they point to. Useful for tests, for `/proc/self/auxv`, and for checking a
 * stack someone else built. Every pointer is bounds-checked: a pointer outside `memory`, a
 * missing terminator or an absurd count throws {@link StackLayoutError}.
 */
export function readInitialStack(memory: Uint8Array, base: number, rsp: number): ParsedInitialStack {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const end = base + memory.length;
  const word = (address: number, what: string): number => {
    if (address < base || address + 8 > end) {
      throw new StackLayoutError(`${what} at 0x${address.toString(16)} is outside the stack memory`);
    }
    const lo = view.getUint32(address - base, true);
    const hi = view.getUint32(address - base + 4, true);
    if (hi >= 0x200000) throw new StackLayoutError(`${what} at 0x${address.toString(16)} is beyond 2^53`);
    return hi * 0x100000000 + lo;
  };
  const string = (address: number, what: string): StackString => {
    if (address < base || address >= end) {
      throw new StackLayoutError(`${what} points to 0x${address.toString(16)}, outside the stack memory`);
    }
    const from = address - base;
    const nul = memory.indexOf(0, from);
    if (nul < 0) throw new StackLayoutError(`${what} at 0x${address.toString(16)} has no terminating NUL`);
    return { address, value: utf8.decode(memory.subarray(from, nul)) };
  };

  const argc = word(rsp, "argc");
  if (argc > memory.length / 8) throw new StackLayoutError(`argc ${argc} is larger than the stack can hold`);
  let at = rsp + 8;
  const argv: StackString[] = [];
  for (let i = 0; i < argc; i++, at += 8) argv.push(string(word(at, `argv[${i}]`), `argv[${i}]`));
  if (word(at, "argv terminator") !== 0) throw new StackLayoutError(`argv[argc] at 0x${at.toString(16)} is not NULL`);
  at += 8;
  const envp: StackString[] = [];
  for (let pointer = word(at, "envp[0]"); pointer !== 0; pointer = word(at, `envp[${envp.length}]`)) {
    envp.push(string(pointer, `envp[${envp.length}]`));
    at += 8;
  }
  at += 8;
  const auxvAddress = at;
  const auxv: [number, number][] = [];
  for (;;) {
    const type = word(at, `auxv[${auxv.length}] type`);
    const value = word(at + 8, `auxv[${auxv.length}] value`);
    auxv.push([type, value]);
    at += 16;
    if (type === AT_NULL) break;
  }
  const lookup = (type: number): number | undefined => auxv.find(([t]) => t === type)?.[1];
  const randomAt = lookup(AT_RANDOM);
  let random: Uint8Array | undefined;
  if (randomAt !== undefined) {
    if (randomAt < base || randomAt + 16 > end) throw new StackLayoutError("AT_RANDOM points outside the stack memory");
    random = memory.slice(randomAt - base, randomAt - base + 16);
  }
  const platformAt = lookup(AT_PLATFORM);
  const execfnAt = lookup(AT_EXECFN);
  return {
    rsp,
    argc,
    argv,
    envp,
    auxvAddress,
    auxv,
    random,
    platform: platformAt === undefined ? undefined : string(platformAt, "AT_PLATFORM").value,
    execfn: execfnAt === undefined ? undefined : string(execfnAt, "AT_EXECFN").value,
  };
}
