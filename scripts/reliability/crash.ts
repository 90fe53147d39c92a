import type { Dialect } from "../../oms/store/db";
import type { ServiceProcess } from "../bench/lib/children";
import { createBenchDatabase } from "../bench/lib/database";
import { depositRequest } from "../bench/lib/intents";
import { startOms } from "../bench/lib/oms";
import type { World } from "../bench/lib/world";
import { getFreePort } from "../lib/anvil";
import { checkInvariants, type InvariantReport } from "./lib/invariants";
import { grantSessionKey } from "./lib/session-key";

export interface CrashOptions {
  dialect: Dialect;
  kills: number;
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
  const vault = world.manifest.vaults[0];
  if (!vault) throw new Error("no vault deployed");
  const database = await createBenchDatabase(options.dialect, world.dataDir, "crash");
  const port = await getFreePort();
  const start = (): Promise<ServiceProcess> =>
    startOms(world, {
      databaseUrl: database.databaseUrl,
      workers: 1,
      port,
      entry: options.entry,
      name: `oms-crash-${options.dialect}`,
    });
  try {
    let oms = await start();
    await grantSessionKey(world, oms.url, vault);
    const headers = {
      authorization: `Bearer ${await world.token(vault.primary_manager)}`,
      "content-type": "application/json",
    };
    const acknowledged: string[] = [];
    let unacknowledged = 0;
    let isSubmitting = true;
    let seq = Date.now();
    const submitter = async (): Promise<void> => {
      while (isSubmitting) {
        try {
          const response = await fetch(`${oms.url}/defix/intents`, {
            method: "POST",
            headers,
            body: JSON.stringify(depositRequest(vault, seq++)),
            signal: AbortSignal.timeout(5_000),
          });
          const body = (await response.json()) as { id?: string };
          if ((response.status === 201 || response.status === 200) && body.id) acknowledged.push(body.id);
          else unacknowledged++;
        } catch {
          // Connection refused/reset while the OMS is dead: the client got no acknowledgement.
          unacknowledged++;
          await sleep(50);
        }
        await sleep(options.submitGapMs ?? 150);
      }
    };
    const submitters = Array.from({ length: options.submitters ?? 2 }, submitter);

    const restartMs: number[] = [];
    log(`  ${options.dialect}: OMS up and session key granted after ${Math.round(performance.now() - started)} ms`);
    for (let kill = 1; kill <= options.kills; kill++) {
      await sleep(Math.random() * (options.maxUptimeMs ?? 1_200));
      await oms.kill();
      const restartAt = performance.now();
      oms = await start();
      restartMs.push(performance.now() - restartAt);
      if (kill % 20 === 0 || kill === options.kills) {
        log(
          `  ${options.dialect}: ${kill}/${options.kills} kills, ${acknowledged.length} acknowledged so far, mean restart ${Math.round(restartMs.reduce((a, b) => a + b, 0) / restartMs.length)} ms`,
        );
      }
    }
    isSubmitting = false;
    await Promise.all(submitters);
    const drainStarted = performance.now();

    const handle = await database.open();
    const deadline = Date.now() + (options.drainMs ?? 60_000);
    while (Date.now() < deadline) {
      const row = await handle.db
        .selectFrom("intents")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("active", "=", 1)
        .executeTakeFirstOrThrow();
      if (Number(row.n) === 0) break;
      await sleep(250);
    }
    log(`  ${options.dialect}: drained in ${Math.round(performance.now() - drainStarted)} ms`);
    await oms.stop();
    const report = await checkInvariants(handle, world.rpcUrl, acknowledged);
    return {
      ...report,
      dialect: options.dialect,
      kills: options.kills,
      acknowledged: acknowledged.length,
      unacknowledged,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await database.drop();
  }
}
