import { createPublicClient, http } from "viem";
import type { AccountMode } from "../../lib/defix/intents";
import type { Dialect } from "../../oms/store/db";
import type { ServiceProcess } from "../bench/lib/children";
import { createBenchDatabase } from "../bench/lib/database";
import { startOms } from "../bench/lib/oms";
import type { ExtraEnv, World } from "../bench/lib/world";
import { getFreePort } from "../lib/anvil";
import { vaultOfMode } from "./lib/account-mode";
import { checkInvariants, type InvariantReport, waitUntilDrained } from "./lib/invariants";
import { grantSessionKey } from "./lib/session-key";
import { startSubmitters } from "./lib/submitters";

export interface CrashOptions {
  dialect: Dialect;
  kills: number;
  /** The account mode whose vault takes the intents (default OMS); see lib/account-mode.ts for what it needs. */
  mode?: AccountMode;
  /** Extra OMS env, e.g. `BUNDLER_URL` for the 4337 modes (lib/account-mode.ts `prepareModes`). */
  env?: ExtraEnv;
  /** The OMS entry to run (the esbuild bundle restarts in ~1.6 s instead of ~9 s). */
  entry: string;
  /** A kill lands uniformly within this many ms after the OMS answered /health. */
  maxUptimeMs?: number;
  submitters?: number;
  /** Pause between one submitter's requests. */
  submitGapMs?: number;
  /** How long the final, unkilled OMS gets to bring every intent to a terminal state. */
  drainMs?: number;
  log?: (line: string) => void;
}

export interface CrashReport extends InvariantReport {
  dialect: Dialect;
  mode: AccountMode;
  kills: number;
  acknowledged: number;
  /** Submits that got no answer or a non-2xx (expected while the OMS is down; never counted as acknowledged). */
  unacknowledged: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGKILLs the OMS `kills` times at random moments while submitters keep sending intents and the
 * engine drives them on anvil, restarts it each time on the same port, lets the last one drain,
 * then checks the database and the chain (see checkInvariants).
 */
export async function crashRun(world: World, options: CrashOptions): Promise<CrashReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const mode = options.mode ?? "OMS";
  const vault = vaultOfMode(world, mode);
  // Executions are counted on the chain from here on (lib/executions.ts).
  const fromBlock = await createPublicClient({ transport: http(world.rpcUrl) }).getBlockNumber();
  const database = await createBenchDatabase(options.dialect, world.dataDir, "crash");
  const port = await getFreePort();
  const start = (): Promise<ServiceProcess> =>
    startOms(world, {
      databaseUrl: database.databaseUrl,
      workers: 1,
      port,
      entry: options.entry,
      name: `oms-crash-${options.dialect}-${mode}`,
      env: options.env,
    });
  try {
    let oms = await start();
    await grantSessionKey(world, oms.url, vault);
    const load = startSubmitters({
      url: () => oms.url,
      token: await world.token(vault.primary_manager),
      vault,
      count: options.submitters ?? 2,
      gapMs: options.submitGapMs ?? 150,
      timeoutMs: 5_000,
      backoffMs: 50,
    });

    const restartMs: number[] = [];
    log(
      `  ${options.dialect} ${mode}: OMS up and session key granted after ${Math.round(performance.now() - started)} ms`,
    );
    for (let kill = 1; kill <= options.kills; kill++) {
      await sleep(Math.random() * (options.maxUptimeMs ?? 1_200));
      await oms.kill();
      const restartAt = performance.now();
      oms = await start();
      restartMs.push(performance.now() - restartAt);
      if (kill % 20 === 0 || kill === options.kills) {
        log(
          `  ${options.dialect} ${mode}: ${kill}/${options.kills} kills, ${load.acknowledged.length} acknowledged so far, mean restart ${Math.round(restartMs.reduce((a, b) => a + b, 0) / restartMs.length)} ms`,
        );
      }
    }
    await load.stop();
    const handle = await database.open();
    const drainedMs = await waitUntilDrained(handle, options.drainMs ?? 60_000);
    log(`  ${options.dialect} ${mode}: drained in ${Math.round(drainedMs)} ms`);
    await oms.stop();
    const report = await checkInvariants(handle, world.rpcUrl, load.acknowledged, {
      manifest: world.manifest,
      fromBlock,
    });
    return {
      ...report,
      dialect: options.dialect,
      mode,
      kills: options.kills,
      acknowledged: load.acknowledged.length,
      unacknowledged: load.refusedCount(),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await database.drop();
  }
}
