import type { CrashReport } from "./crash";
import { isClean } from "./lib/invariants";

/** What a crash run tried and what it lost, one block per dialect; the target for every "lost" line is 0. */
export function printCrashReport(report: CrashReport): boolean {
  const clean = isClean(report);
  const list = (ids: readonly string[]) => (ids.length ? ` e.g. ${ids.slice(0, 3).join(", ")}` : "");
  console.log(`\n== crash test (${report.dialect}): ${clean ? "PASS" : "FAIL"} in ${Math.round(report.seconds)} s`);
  console.log(
    `  tried: ${report.kills} SIGKILLs, ${report.acknowledged} intents acknowledged, ${report.unacknowledged} submits unanswered while down`,
  );
  console.log(
    `  outcome: ${report.intents} intents ${JSON.stringify(report.states)}, ${report.minedTxs} mined txs, ${report.nonTerminal} not terminal after drain`,
  );
  for (const line of report.stuck) console.log(`    not terminal: ${line}`);
  console.log(`  lost acknowledged intents: ${report.missing.length}${list(report.missing)}`);
  console.log(`  broken event logs (gap or row ≠ replay): ${report.brokenLogs.length}${list(report.brokenLogs)}`);
  console.log(`  intents with > 1 mined tx: ${report.multiMined.length}${list(report.multiMined)}`);
  console.log(
    `  COMPLETED without its mined tx: ${report.completedWithoutTx.length}${list(report.completedWithoutTx)}`,
  );
  console.log(
    `  nonce problems: ${report.nonceProblems.length}${report.nonceProblems.length ? `\n    ${report.nonceProblems.join("\n    ")}` : ""}`,
  );
  return clean;
}
