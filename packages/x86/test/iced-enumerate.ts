// Walks the opcode space systematically (not randomly) and compares validity with iced-x86.
import { Code, Decoder, DecoderOptions, Instruction } from "iced-x86";
import { DecodeError, DecodedInstruction, decode } from "../src/decoder/index.js";

/** Mismatches of one kind, by iced instruction code name (or our mnemonic). */
export type MismatchGroups = Map<string, { count: number; examples: string[] }>;

/** Outcome of {@link enumerateAgainstIced}. */
export interface Enumeration {
  encodings: number;
  bothValid: number;
  /** iced decodes, we report an error (other than Truncated). */
  icedOnly: MismatchGroups;
  /** We decode, iced reports invalid. */
  oursOnly: MismatchGroups;
}

/**
 * ModRM bytes: two memory forms (plain and SIB) per reg field, and register forms: every rm
 * value when `allRm`, else rm 0, 1 and 7 (enough for every form of the data file).
 */
function modrms(allRm: boolean): number[] {
  const out: number[] = [];
  for (let reg = 0; reg < 8; reg++) {
    for (let rm = 0; rm < 8; rm++) if (allRm || rm === 0 || rm === 1 || rm === 7) out.push(0xc0 | (reg << 3) | rm);
    out.push(0x40 | (reg << 3) | 3, 0x04 | (reg << 3));
  }
  return out;
}
/** Bytes after the ModRM: a SIB with distinct registers, then displacement/immediate filler. */
const TAIL = [0x98, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x11, 0x22, 0x33];

function add(groups: MismatchGroups, name: string, bytes: Uint8Array, keep: number): void {
  let g = groups.get(name);
  if (!g) groups.set(name, (g = { count: 0, examples: [] }));
  g.count++;
  if (g.examples.length < keep) g.examples.push(Buffer.from(bytes).toString("hex"));
}

/** Every candidate encoding (legacy maps with prefixes/REX.W, VEX maps with pp/W/L/vvvv). */
function* encodings(allRm: boolean, bits: 64 | 32): Generator<number[]> {
  const MODRMS = modrms(allRm);
  const prefixSets = [[], [0x66], [0xf3], [0xf2]];
  const escapes = [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]];
  for (const escape of escapes) {
    for (let op = 0; op < 256; op++) {
      if (escape.length === 0 && (op === 0x0f || ((op === 0x62 || op === 0xc4 || op === 0xc5) && bits === 64) || op === 0x8f)) continue;
      for (const pfx of prefixSets) {
        for (const rex of bits === 64 ? [[], [0x48]] : [[]]) {
          for (const modrm of MODRMS) yield [...pfx, ...rex, ...escape, op, modrm];
        }
      }
    }
  }
  for (let mmmmm = 1; mmmmm <= 3; mmmmm++) {
    for (let op = 0; op < 256; op++) {
      for (let pp = 0; pp < 4; pp++) {
        for (const w of [0, 1]) {
          for (const l of [0, 1]) {
            // vvvv 15, 14, 6: registers 0, 1, 9; R̄X̄B̄ 111 and 010: REX.R and REX.B off, then on.
            for (const [vvvv, rxb] of [[15, 7], [14, 7], [6, 7], [14, 2]] as const) {
              for (const modrm of MODRMS) yield [0xc4, (rxb << 5) | mmmmm, (w << 7) | (vvvv << 3) | (l << 2) | pp, op, modrm];
            }
          }
        }
      }
    }
  }
}

/**
 * Compares validity with iced on every encoding of {@link encodings}.
 * @param allRm try all eight register rm values (4.6 M encodings) instead of three (2.3 M).
 * @param bits the decoding mode, 64 or 32 (then without REX).
 */
export function enumerateAgainstIced(allRm = true, keep = 3, bits: 64 | 32 = 64): Enumeration {
  const heads = [...encodings(allRm, bits)];
  // iced copies its input, so every encoding goes into one buffer, 16 bytes apart.
  const data = new Uint8Array(heads.length * 16);
  heads.forEach((head, i) => {
    data.set(head, i * 16);
    data.set(TAIL.slice(0, 15 - head.length), i * 16 + head.length);
  });
  const decoder = new Decoder(bits, data, DecoderOptions.None);
  const theirs = new Instruction();
  const ours = new DecodedInstruction();
  const r: Enumeration = { encodings: heads.length, bothValid: 0, icedOnly: new Map(), oursOnly: new Map() };
  for (let i = 0; i < heads.length; i++) {
    const at = i * 16;
    decoder.position = at;
    decoder.decodeOut(theirs);
    decode(ours, data, at, 0, at + 15, bits);
    const icedValid = theirs.code !== Code.INVALID;
    const weValid = ours.error === DecodeError.None;
    const bytes = data.subarray(at, at + Math.max(theirs.length, ours.length, heads[i]!.length));
    if (icedValid && weValid) r.bothValid++;
    else if (icedValid && ours.error !== DecodeError.Truncated) add(r.icedOnly, `${Code[theirs.code]!} (error ${ours.error})`, bytes, keep);
    else if (weValid) add(r.oursOnly, ours.mnemonic, bytes, keep);
  }
  decoder.free();
  theirs.free();
  return r;
}
