import { describe, expect, it } from "vitest";
import { checkCorpus } from "./corpus-check.js";

// Fixtures captured from GNU objdump 2.40 by scripts/capture-corpus.ts.
describe.each([
  "libc-so", "static-glibc-hello", "static-musl-hello", "go-hello", "ls", "bash",
  "static-glibc-hello.att", "static-musl-hello.att", "ls.att",
])("corpus %s", (name) => {
  it("has the same instruction boundaries as objdump and the same text on ≥ 99.9%", () => {
    const r = checkCorpus(name, 20);
    const compared = r.instructions - r.excluded;
    expect(compared).toBeGreaterThan(1_000);
    expect(r.boundaryMismatches, r.examples.join("\n")).toBe(0);
    expect(r.textMismatches / compared, r.examples.join("\n")).toBeLessThan(0.001);
  });
});
