// Writes a vDSO image to a file for the native check: `tsx write-vdso.ts OUT [VERSION]`.
import { writeFileSync } from "node:fs";
import { buildVdso } from "../build-vdso.js";

const [out, version] = process.argv.slice(2);
if (out === undefined) throw new Error("usage: write-vdso.ts OUT [VERSION]");
writeFileSync(out, buildVdso(version === undefined ? {} : { version }).bytes);
