/** Measured rates of one contender: operations per second for each phase, and its checks. */
export interface ContenderResult {
  name: string;
  ours: boolean;
  rates: Record<string, number>;
  checks: Record<string, string>;
}

export interface SuiteResult {
  title: string;
  phases: string[];
  contenders: ContenderResult[];
}

/** `1234567` → `1.23 M/s`. */
export function formatRate(opsPerSecond: number): string {
  if (!Number.isFinite(opsPerSecond)) return "n/a";
  const units: [number, string][] = [
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [scale, unit] of units) {
    if (opsPerSecond >= scale) return `${(opsPerSecond / scale).toFixed(2)} ${unit}/s`;
  }
  return `${opsPerSecond.toFixed(1)} /s`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  "))
    .join("\n");
}

/**
 * The report of one suite: per phase, our rate, the fastest peer's rate and the ratio
 * (> 1 means we are faster), then every contender's rates.
 */
export function formatReport(result: SuiteResult): string {
  const ours = result.contenders.filter((c) => c.ours);
  const peers = result.contenders.filter((c) => !c.ours);
  const lines = [`## ${result.title}`, ""];
  const summary: string[][] = [["operation", "ours", "ops/s", "best peer", "ops/s", "ratio"]];
  for (const phase of result.phases) {
    const best = (list: ContenderResult[]) =>
      list.reduce<ContenderResult | undefined>((a, c) => (a === undefined || (c.rates[phase] ?? 0) > (a.rates[phase] ?? 0) ? c : a), undefined);
    const us = best(ours);
    const peer = best(peers);
    const ourRate = us?.rates[phase] ?? NaN;
    const peerRate = peer?.rates[phase] ?? NaN;
    summary.push([
      phase,
      us?.name ?? "-",
      formatRate(ourRate),
      peer?.name ?? "-",
      formatRate(peerRate),
      Number.isFinite(ourRate / peerRate) ? `${(ourRate / peerRate).toFixed(2)}x` : "n/a",
    ]);
  }
  lines.push(table(summary), "");
  const all: string[][] = [["contender", ...result.phases]];
  for (const c of result.contenders) all.push([c.name + (c.ours ? " *" : ""), ...result.phases.map((p) => formatRate(c.rates[p] ?? NaN))]);
  lines.push(table(all), "");
  return lines.join("\n");
}
