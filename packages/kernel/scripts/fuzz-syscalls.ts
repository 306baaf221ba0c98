// The long syscall fuzzer: rounds of random syscalls against freshly booted machines, each in
// its own child process under a watchdog, so a hang in the host is caught and reported too.
//
//   npm run fuzz -- [--rounds 100] [--calls 20000] [--seed 1] [--timeout 120]
//
// Prints one line per round; on a failure, the seed and the command that reproduces it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fuzzRound } from "../src/fuzz/fuzz-round.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "100" },
    calls: { type: "string", default: "20000" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    timeout: { type: "string", default: "120" },
    child: { type: "boolean", default: false },
  },
});
const calls = Number(values.calls);
const seed = Number(values.seed);

if (values.child) {
  // One round in this process: the parent's watchdog kills it if it hangs.
  const report = await fuzzRound(seed, calls);
  const errors = [...report.errnos].filter(([e]) => e !== 0).reduce((n, [, c]) => n + c, 0);
  console.log(
    `${report.made} calls, ${report.errnos.get(0) ?? 0} succeeded, ${errors} errno, program status ${report.status}; slowest ${report.slowest.ms.toFixed(1)} ms: ${report.slowest.call}`,
  );
} else {
  const rounds = Number(values.rounds);
  const script = fileURLToPath(import.meta.url);
  let failed = 0;
  for (let r = 0; r < rounds; r++) {
    const roundSeed = seed + r;
    const argv = ["--conditions=@nanots/source", "--import", "tsx", script, "--child", "--seed", String(roundSeed), "--calls", String(calls)];
    const child = spawnSync(process.execPath, argv, { encoding: "utf8", timeout: Number(values.timeout) * 1000 });
    const ok = child.status === 0;
    const why = child.error?.message.includes("ETIMEDOUT") ? `hung: no answer within ${values.timeout} s` : (child.stderr.trim() || `exit ${child.status}`);
    console.log(`round ${r + 1}/${rounds} seed ${roundSeed}: ${ok ? child.stdout.trim() : `FAILED — ${why}`}`);
    if (!ok) {
      failed++;
      console.log(`  reproduce: npm run fuzz -w @nanots/kernel -- --rounds 1 --seed ${roundSeed} --calls ${calls}`);
    }
  }
  console.log(`${rounds - failed}/${rounds} rounds clean (${rounds * calls} calls from seed ${seed})`);
  process.exitCode = failed === 0 ? 0 : 1;
}
