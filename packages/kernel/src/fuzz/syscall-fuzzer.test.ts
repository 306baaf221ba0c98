// A bounded run of the syscall fuzzer in the suite; scripts/fuzz-syscalls.ts runs it for longer.
import { fileURLToPath } from "node:url";
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { boot } from "../boot/boot.js";
import { buildImage } from "../node/build-image.js";
import { fuzzRound } from "./fuzz-round.js";

const HELLO = fileURLToPath(new URL("../../../../guest/bin/musl/hello", import.meta.url));
const SEEDS = [1, 2, Number(process.env.FC_SEED ?? 3)];

describe("syscall fuzzing of a booted machine", () => {
  it.each(SEEDS)("seed %i: every random call gets a number, and the program still ends", async (seed) => {
    const report = await fuzzRound(seed, 5000);
    // Errors and successes both happen: the calls reach past argument checks.
    expect(report.errnos.get(0) ?? 0).toBeGreaterThan(20);
    expect(report.errnos.get(14) ?? 0).toBeGreaterThan(0); // EFAULT
    expect(report.status).toBeGreaterThanOrEqual(0);
    expect(report.status).toBeLessThan(256);
  }, 120_000);

  it("leaves the host able to boot and run a program exactly", async () => {
    await fuzzRound(4, 500);
    const out: Uint8Array[] = [];
    const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO, args: ["x"] })), memoryBytes: 64 << 20, stdout: (b) => out.push(b.slice()), stderr: () => {} });
    expect(await vm.run()).toBe(3);
    expect(Buffer.concat(out).toString()).toBe("hello from a nanots guest\n");
  }, 120_000);
});
