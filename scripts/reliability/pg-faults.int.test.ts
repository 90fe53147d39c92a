import { afterAll, beforeAll, expect, it } from "vitest";
import { buildOmsBundle } from "../bench/lib/bundle";
import { startWorld, type World } from "../bench/lib/world";
import { pgFaultRun } from "./pg-faults";

/**
 * CI-sized: PostgreSQL sessions of the OMS killed once a second under load. The server restart is in
 * `npm run reliability -- pg` only (it would restart PostgreSQL under every other test running).
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

it("keeps the OMS up and loses nothing while its PostgreSQL sessions are killed, then recovers its rate", async () => {
  const report = await pgFaultRun(world, {
    entry: buildOmsBundle(),
    restart: false,
    windowSeconds: 4,
    faultSeconds: 4,
    submitters: 2,
  });
  expect(report.terminatedSessions).toBeGreaterThan(0);
  expect(report.omsSurvived).toBe(true);
  expect(report.recovered).toBe(true);
  expect(report.acknowledged).toBeGreaterThan(0);
  // While the store is away a submit is refused with a retryable 503, never a 500.
  for (const refusal of Object.keys(report.refused)) expect(refusal).toMatch(/^503 STORE_UNAVAILABLE$/);
  expect({
    missing: report.missing,
    nonTerminal: report.nonTerminal,
    brokenLogs: report.brokenLogs,
    multiMined: report.multiMined,
    nonceProblems: report.nonceProblems,
    positionProblems: report.positionProblems,
  }).toEqual({ missing: [], nonTerminal: 0, brokenLogs: [], multiMined: [], nonceProblems: [], positionProblems: [] });
}, 300_000);
