import { afterAll, beforeAll, expect, it } from "vitest";
import { buildOmsBundle } from "../bench/lib/bundle";
import { startWorld, type World } from "../bench/lib/world";
import { crashRun } from "./crash";

/** CI-sized crash run on the default store; `npm run reliability -- crash` does hundreds on both. */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

it("loses nothing across SIGKILLs of the OMS while intents flow (sqlite)", async () => {
  const report = await crashRun(world, { dialect: "sqlite", kills: 8, entry: buildOmsBundle(), drainMs: 60_000 });
  expect(report.acknowledged).toBeGreaterThan(0);
  expect(report.minedTxs).toBeGreaterThan(0);
  expect({
    missing: report.missing,
    brokenLogs: report.brokenLogs,
    multiMined: report.multiMined,
    completedWithoutTx: report.completedWithoutTx,
    nonceProblems: report.nonceProblems,
    positionProblems: report.positionProblems,
  }).toEqual({
    missing: [],
    brokenLogs: [],
    multiMined: [],
    completedWithoutTx: [],
    nonceProblems: [],
    positionProblems: [],
  });
}, 240_000);
