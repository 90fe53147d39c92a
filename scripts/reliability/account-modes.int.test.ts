import { afterAll, beforeAll, expect, it } from "vitest";
import type { AccountMode } from "../../lib/defix/intents";
import { buildOmsBundle } from "../bench/lib/bundle";
import { DIALECTS } from "../bench/lib/database";
import { startWorld, type World } from "../bench/lib/world";
import { burstRestartRun } from "./burst";
import { type ModeSide, prepareModes } from "./lib/account-mode";

/**
 * Issue 14's concurrency case in each non-OMS account mode (docs/ARCHITECTURE.md "Account modes"): 15 intents of
 * one vault at once, the OMS SIGKILLed mid-flight and restarted. Nothing is lost and nothing runs twice, counted on
 * the chain: the vault's HookExecuted logs = its COMPLETED intents, and for the 4337 modes each intent's EntryPoint
 * nonce lane carries exactly one UserOperationEvent. `npm run reliability -- crash --mode all` is the long version.
 */

const MODES: readonly AccountMode[] = ["EIP4337", "EIP4337_COMPANION", "EIP7702"];
const BUNDLER_PORT = 13_110;

let world: World;
let side: ModeSide;
let entry: string;
beforeAll(async () => {
  world = await startWorld();
  side = await prepareModes(world, MODES, { bundlerPort: BUNDLER_PORT });
  entry = buildOmsBundle();
}, 120_000);
afterAll(async () => {
  await side?.stop();
  await world?.stop();
});

const CASES = DIALECTS.flatMap((dialect) => MODES.map((mode) => [mode, dialect] as const));

it.each(CASES)(
  "%s on %s: 15 intents of one vault at once, SIGKILL mid-flight: all COMPLETED, each executed once",
  async (mode, dialect) => {
    const report = await burstRestartRun(world, { dialect, mode, entry, env: side.env });
    // The kill landed mid-flight: something was out, not everything was done.
    expect(report.statesAtKill.EXECUTING ?? 0, JSON.stringify(report.statesAtKill)).toBeGreaterThan(0);
    expect(report.finalStates, report.stuck.join("\n")).toEqual(report.acknowledged.map(() => "COMPLETED"));
    expect(report.executions).toMatchObject({ hookExecutions: 15, userOps: mode === "EIP7702" ? 0 : 15 });
    expect({
      missing: report.missing,
      brokenLogs: report.brokenLogs,
      multiMined: report.multiMined,
      completedWithoutTx: report.completedWithoutTx,
      nonceProblems: report.nonceProblems,
      positionProblems: report.positionProblems,
      onChain: report.executions?.problems,
    }).toEqual({
      missing: [],
      brokenLogs: [],
      multiMined: [],
      completedWithoutTx: [],
      nonceProblems: [],
      positionProblems: [],
      onChain: [],
    });
  },
  100_000,
);
