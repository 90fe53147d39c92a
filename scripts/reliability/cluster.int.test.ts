import { afterAll, beforeAll, expect, it } from "vitest";
import { buildOmsBundle } from "../bench/lib/bundle";
import { startWorld, type World } from "../bench/lib/world";
import { clusterRun } from "./cluster";

/**
 * The short form of `npm run reliability -- cluster`: 3 OMS processes on one PostgreSQL (+ Redis), SIGKILLs
 * under load, a stream client pinned to every process. Without the dashboards: a Next build does not fit
 * here; nonces crossing dashboard instances are covered by lib/auth/redis-nonce-store.int.test.ts against
 * the real Redis, and the full run signs in through two dashboards.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

it("3 OMS processes, one SIGKILLed every ~2 s: nothing lost, every stream client gets every event once, in order", async () => {
  const report = await clusterRun(world, {
    entry: buildOmsBundle(),
    omsProcesses: 3,
    webInstances: 0,
    seconds: 20,
    killEveryMs: 2_000,
    submitters: 2,
    drainMs: 60_000,
  });
  expect(report.kills).toBeGreaterThanOrEqual(3);
  expect(report.acknowledged).toBeGreaterThan(0);
  expect(report.streams).toHaveLength(3 * 2);
  // Every client reconnected at least once (its process was killed) and received events.
  for (const stream of report.streams) {
    expect(stream.connections, stream.client).toBeGreaterThan(1);
    expect(stream.received, stream.client).toBeGreaterThan(0);
  }
  expect({
    missing: report.missing,
    nonTerminal: report.nonTerminal,
    brokenLogs: report.brokenLogs,
    multiMined: report.multiMined,
    completedWithoutTx: report.completedWithoutTx,
    positionProblems: report.positionProblems,
    streams: report.streams.filter((s) => s.missed > 0 || s.outOfOrder > 0 || s.resets > 0),
  }).toEqual({
    missing: [],
    nonTerminal: 0,
    brokenLogs: [],
    multiMined: [],
    completedWithoutTx: [],
    positionProblems: [],
    streams: [],
  });
}, 240_000);
