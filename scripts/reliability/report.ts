import type { ChainFaultReport } from "./chain-faults";
import type { ClusterReport } from "./cluster";
import type { CrashReport } from "./crash";
import { type InvariantReport, isClean } from "./lib/invariants";
import type { PgFaultReport } from "./pg-faults";

const list = (ids: readonly string[]) => (ids.length ? ` e.g. ${ids.slice(0, 3).join(", ")}` : "");

/** The "lost" lines every run over the OMS database ends with; the target for each is 0. */
function printInvariants(report: InvariantReport): void {
  for (const line of report.stuck) console.log(`    not terminal: ${line}`);
  console.log(`  broken event logs (gap or row ≠ replay): ${report.brokenLogs.length}${list(report.brokenLogs)}`);
  console.log(`  intents with > 1 mined tx: ${report.multiMined.length}${list(report.multiMined)}`);
  console.log(
    `  COMPLETED without its mined tx: ${report.completedWithoutTx.length}${list(report.completedWithoutTx)}`,
  );
  console.log(
    `  nonce problems: ${report.nonceProblems.length}${report.nonceProblems.length ? `\n    ${report.nonceProblems.join("\n    ")}` : ""}`,
  );
  console.log(`  event position problems: ${report.positionProblems.length}${list(report.positionProblems)}`);
  const executions = report.executions;
  if (executions) {
    console.log(
      `  on-chain executions: ${executions.hookExecutions} hooks, ${executions.userOps} user ops; problems: ${executions.problems.length}${executions.problems.length ? `\n    ${executions.problems.slice(0, 5).join("\n    ")}` : ""}`,
    );
  }
}

/** What a crash run tried and what it lost, one block per dialect. */
export function printCrashReport(report: CrashReport): boolean {
  const clean = isClean(report);
  console.log(
    `\n== crash test (${report.dialect}, ${report.mode}): ${clean ? "PASS" : "FAIL"} in ${Math.round(report.seconds)} s`,
  );
  console.log(
    `  tried: ${report.kills} SIGKILLs, ${report.acknowledged} intents acknowledged, ${report.unacknowledged} submits unanswered while down`,
  );
  console.log(
    `  outcome: ${report.intents} intents ${JSON.stringify(report.states)}, ${report.minedTxs} mined txs, ${report.nonTerminal} not terminal after drain`,
  );
  console.log(`  lost acknowledged intents: ${report.missing.length}${list(report.missing)}`);
  printInvariants(report);
  return clean;
}

/** Chain faults: per scenario what was tried, how the intents ended and what the OMS recorded. */
export function printChainFaultReport(report: ChainFaultReport): boolean {
  const clean = isClean(report) && report.scenarios.every((scenario) => scenario.problems.length === 0);
  console.log(`\n== chain faults (${report.dialect}): ${clean ? "PASS" : "FAIL"} in ${Math.round(report.seconds)} s`);
  for (const scenario of report.scenarios) {
    console.log(`  ${scenario.name}: ${scenario.problems.length === 0 ? "ok" : "FAIL"}`);
    console.log(`    tried: ${scenario.tried}`);
    console.log(`    outcome: ${scenario.intents} intents ${JSON.stringify(scenario.states)}`);
    console.log(`    recorded: ${scenario.evidence}`);
    console.log(`    not COMPLETED: ${scenario.problems.length}${list(scenario.problems)}`);
  }
  console.log(`  all: ${report.intents} intents, ${report.minedTxs} mined txs`);
  printInvariants(report);
  return clean;
}

/**
 * PostgreSQL faults: the rate per window, what clients were told while the store was away, and the
 * invariants. Passes when the OMS stayed up and recovered, nothing was lost, and no refusal was a 500.
 */
export function printPgFaultReport(report: PgFaultReport): boolean {
  const badRefusals = Object.keys(report.refused).filter((key) => key.startsWith("500") || key === "400");
  const clean =
    isClean(report) && report.omsSurvived && report.recovered && report.nonTerminal === 0 && badRefusals.length === 0;
  console.log(`\n== PostgreSQL faults: ${clean ? "PASS" : "FAIL"} in ${Math.round(report.seconds)} s`);
  for (const window of report.windows) {
    console.log(
      `  ${window.name}: ${window.completed} COMPLETED in ${window.seconds.toFixed(1)} s = ${window.perSecond.toFixed(1)}/s`,
    );
  }
  console.log(
    `  sessions terminated: ${report.terminatedSessions}; OMS process survived: ${report.omsSurvived ? "yes" : "NO"}`,
  );
  console.log(`  rate after the faults ≥ half the rate before: ${report.recovered ? "yes" : "NO"}`);
  console.log(
    `  acknowledged: ${report.acknowledged}; refused while the store was away: ${JSON.stringify(report.refused)}${badRefusals.length ? " (a 500 is a FAIL: should be 503 STORE_UNAVAILABLE)" : ""}`,
  );
  console.log(
    `  outcome: ${report.intents} intents ${JSON.stringify(report.states)}, ${report.nonTerminal} not terminal after drain`,
  );
  console.log(`  lost acknowledged intents: ${report.missing.length}${list(report.missing)}`);
  printInvariants(report);
  return clean;
}

/** What the stream clients and sign-ins of a cluster run saw; the lost-anything lines end at 0. */
export function isClusterClean(report: ClusterReport): boolean {
  const tally = report.signIns;
  return (
    isClean(report) &&
    report.nonTerminal === 0 &&
    report.streams.every((s) => s.missed === 0 && s.outOfOrder === 0 && s.resets === 0) &&
    (tally === null || (Object.keys(tally.failed).length === 0 && tally.replaysAccepted === 0 && tally.ok > 0))
  );
}

export function printClusterReport(report: ClusterReport): boolean {
  const clean = isClusterClean(report);
  console.log(
    `\n== cluster (${report.omsProcesses} OMS, ${report.webInstances} dashboards, PostgreSQL + Redis): ${clean ? "PASS" : "FAIL"} in ${Math.round(report.seconds)} s`,
  );
  console.log(
    `  tried: ${report.kills} SIGKILLs (mean restart ${Math.round(report.meanRestartMs)} ms), ${report.acknowledged} intents acknowledged, ${report.unacknowledged} submits unanswered ${JSON.stringify(report.refused)}`,
  );
  console.log(
    `  outcome: ${report.intents} intents ${JSON.stringify(report.states)}, ${report.minedTxs} mined txs, ${report.nonTerminal} not terminal after drain`,
  );
  console.log(`  lost acknowledged intents: ${report.missing.length}${list(report.missing)}`);
  printInvariants(report);
  const sum = (pick: (s: ClusterReport["streams"][number]) => number) =>
    report.streams.reduce((n, s) => n + pick(s), 0);
  console.log(
    `  streams: ${report.streams.length} clients, ${sum((s) => s.received)} events received, ${sum((s) => s.connections)} connections (reconnects with Last-Event-ID), ${sum((s) => s.duplicates)} duplicates dropped by event id`,
  );
  for (const s of report.streams) {
    console.log(
      `    ${s.client}: ${s.received} events, missed ${s.missed}, out of order ${s.outOfOrder}, duplicates ${s.duplicates}, resets ${s.resets}, connections ${s.connections}`,
    );
  }
  const tally = report.signIns;
  if (tally === null) console.log("  sign-ins: skipped (no dashboards in this run)");
  else {
    console.log(
      `  sign-ins (nonce from one dashboard, redeemed at the other): ${tally.ok} ok, failed ${JSON.stringify(tally.failed)}; replayed nonces refused ${tally.replaysRefused}, accepted ${tally.replaysAccepted}`,
    );
  }
  return clean;
}
