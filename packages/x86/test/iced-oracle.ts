// Differential oracle: decodes random 15-byte windows with iced-x86 and with our decoder.
import { Code, Decoder, DecoderOptions, Instruction } from "iced-x86";
import { DecodeError, DecodedInstruction, decode } from "../src/decoder/index.js";

/** Outcome of a differential run. */
export interface IcedComparison {
  windows: number;
  bothValid: number;
  lengthMismatch: number;
  weValidIcedInvalid: number;
  icedValidWeInvalid: number;
  icedValidWeUnsupported: number;
  examples: string[];
}

/** xorshift32: a deterministic byte source for reproducible windows. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Compares `count` random windows; keeps up to `keep` mismatch examples. */
export function compareWithIced(count: number, seed: number, keep = 10): IcedComparison {
  const data = randomBytes(count * 15 + 15, seed);
  const decoder = new Decoder(64, data, DecoderOptions.None);
  const theirs = new Instruction();
  const ours = new DecodedInstruction();
  const r: IcedComparison = {
    windows: count, bothValid: 0, lengthMismatch: 0, weValidIcedInvalid: 0,
    icedValidWeInvalid: 0, icedValidWeUnsupported: 0, examples: [],
  };
  for (let i = 0; i < count; i++) {
    const at = i * 15;
    decoder.position = at;
    decoder.ip = 0n;
    decoder.decodeOut(theirs);
    const icedValid = theirs.code !== Code.INVALID;
    decode(ours, data, at, 0, at + 15);
    const weValid = ours.error === DecodeError.None;
    const window = data.subarray(at, at + 15);
    let bad = "";
    if (icedValid && weValid) {
      r.bothValid++;
      if (theirs.length !== ours.length) {
        r.lengthMismatch++;
        bad = `length ${ours.length} vs iced ${theirs.length}`;
      }
    } else if (weValid) {
      r.weValidIcedInvalid++;
      bad = "we valid, iced invalid";
    } else if (icedValid) {
      if (ours.error === DecodeError.Unsupported) r.icedValidWeUnsupported++;
      else {
        r.icedValidWeInvalid++;
        bad = `iced valid, we error ${ours.error}`;
      }
    }
    if (bad && (r.examples.length < keep || (bad.startsWith("length") && r.examples.length < keep + 50))) {
      r.examples.push(`${hex(window.subarray(0, Math.max(theirs.length, ours.length, 1)))}: ${bad} (${ours.mnemonic || "-"} / ${Code[theirs.code] ?? theirs.code})`);
    }
  }
  decoder.free();
  theirs.free();
  return r;
}
