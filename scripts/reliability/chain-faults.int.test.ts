import { afterAll, beforeAll, expect, it } from "vitest";
import { buildOmsBundle } from "../bench/lib/bundle";
import { startWorld, type World } from "../bench/lib/world";
import { chainFaultRun } from "./chain-faults";

/** CI-sized chain faults on the default store; `npm run reliability -- chain` runs both stores. */
let world: World;
beforeAll(async () => {
  world = await startWorld({ persistChain: true });
});
afterAll(async () => {
  await world?.stop();
});

it("ends every intent COMPLETED through an anvil restart, dropped transactions and a gas spike (sqlite)", async () => {
  const report = await chainFaultRun(world, { dialect: "sqlite", entry: buildOmsBundle(), intents: 4 });
  expect(report.scenarios.map((scenario) => [scenario.name, scenario.problems])).toEqual([
    ["anvil restart", []],
    ["dropped transaction", []],
    ["gas spike", []],
  ]);
  expect({
    brokenLogs: report.brokenLogs,
    multiMined: report.multiMined,
    completedWithoutTx: report.completedWithoutTx,
    nonceProblems: report.nonceProblems,
  }).toEqual({ brokenLogs: [], multiMined: [], completedWithoutTx: [], nonceProblems: [] });
}, 300_000);
