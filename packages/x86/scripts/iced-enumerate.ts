// Exhaustive validity comparison with iced-x86 over the opcode space: every map, opcode,
// mandatory prefix, REX.W / VEX.W, VEX.L and a spread of ModRM bytes. Prints each iced
// instruction we reject (and each encoding we accept that iced rejects), grouped, with examples.
// Usage: npx tsx scripts/iced-enumerate.ts [bits=64|32]
import { enumerateAgainstIced } from "../test/iced-enumerate.js";

const r = enumerateAgainstIced(true, 3, process.argv[2] === "32" ? 32 : 64);
console.log(`${r.encodings} encodings, ${r.bothValid} valid in both`);
for (const [what, group] of [["iced valid, we reject", r.icedOnly], ["we accept, iced rejects", r.oursOnly]] as const) {
  console.log(`\n${what}: ${[...group.values()].reduce((a, b) => a + b.count, 0)}`);
  for (const [name, g] of [...group].sort()) console.log(`  ${name} ×${g.count}  e.g. ${g.examples.join(" ")}`);
}
