// Replays many cases and tallies the results per mnemonic, for the test and the CLI report.
import type { CaseRecord } from "./case-format.js";
import { caseMnemonics, Replayer } from "./replay.js";

/** Results of one mnemonic. */
export interface MnemonicTally {
  /** Cases containing it. */
  cases: number;
  failed: number;
  /** Cases of this one instruction alone. */
  solo: number;
  soloFailed: number;
}

/** A failing case and what differed. */
export interface Failure {
  record: CaseRecord;
  mnemonics: string[];
  diffs: string[];
}

/** What a replay of many cases found. */
export interface ReplaySummary {
  cases: number;
  passed: number;
  byMnemonic: Map<string, MnemonicTally>;
  failures: Failure[];
}

/** Replays every record; `keep` limits how many failures are kept with their details. */
export function replayAll(records: Iterable<CaseRecord>, keep = Infinity, replayer = new Replayer()): ReplaySummary {
  const summary: ReplaySummary = { cases: 0, passed: 0, byMnemonic: new Map(), failures: [] };
  for (const record of records) {
    const mnemonics = [...new Set(caseMnemonics(record))];
    const diffs = replayer.replay(record);
    summary.cases++;
    if (diffs.length === 0) summary.passed++;
    else if (summary.failures.length < keep) summary.failures.push({ record, mnemonics, diffs });
    for (const m of mnemonics) {
      const t = summary.byMnemonic.get(m) ?? { cases: 0, failed: 0, solo: 0, soloFailed: 0 };
      t.cases++;
      if (diffs.length > 0) t.failed++;
      if (record.starts.length === 1) {
        t.solo++;
        if (diffs.length > 0) t.soloFailed++;
      }
      summary.byMnemonic.set(m, t);
    }
  }
  return summary;
}
