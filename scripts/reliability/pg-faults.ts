import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import pg from "pg";
import { isConnectionLoss } from "../../oms/kernel/database";
import type { ServiceProcess } from "../bench/lib/children";
import { createBenchDatabase } from "../bench/lib/database";
import { startOms } from "../bench/lib/oms";
import type { World } from "../bench/lib/world";
import { getFreePort } from "../lib/anvil";
import { checkInvariants, type InvariantReport, waitUntilDrained } from "./lib/invariants";
import { grantSessionKey } from "./lib/session-key";
import { startSubmitters } from "./lib/submitters";

/**
 * PostgreSQL faults under load, against the real OMS process (two workers) and anvil: submitters keep
 * sending intents while
 *
 * - killed backends: every OMS session on its database is ended with `pg_terminate_backend` once a
 *   second for `faultSeconds` (what a DBA, a pooler or a failover does);
 * - restart (`restart: true`, not in CI: it restarts the machine's whole PostgreSQL server): the
 *   server is restarted with `pg_ctlcluster … restart` in the middle of the load.
 *
 * Completions per second are counted in a window before, during and after each fault; the check passes
 * when the OMS process stayed up, the rate after the faults is back to at least half the rate before,
 * every acknowledged intent exists and the crash-test invariants hold. Submits refused during a fault
 * must be 503 STORE_UNAVAILABLE (retryable), never a 201 that was lost or a 500.
 */
export interface PgFaultOptions {
  entry: string;
  /** Also restart the PostgreSQL server (needs root and pg_ctlcluster). */
  restart: boolean;
  windowSeconds?: number;
  faultSeconds?: number;
  submitters?: number;
  log?: (line: string) => void;
}

export interface PgFaultReport extends InvariantReport {
  windows: { name: string; seconds: number; completed: number; perSecond: number }[];
  acknowledged: number;
  /** Status codes of submits that were not acknowledged, e.g. {"503": 12, "ECONNRESET": 1}. */
  refused: Record<string, number>;
  terminatedSessions: number;
  omsSurvived: boolean;
  recovered: boolean;
  seconds: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function pgFaultRun(world: World, options: PgFaultOptions): Promise<PgFaultReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const windowSeconds = options.windowSeconds ?? 8;
  const faultSeconds = options.faultSeconds ?? 8;
  const vault = world.manifest.vaults[0];
  if (!vault) throw new Error("no vault deployed");
  const database = await createBenchDatabase("postgres", world.dataDir, "pgfaults");
  const databaseUrl = database.databaseUrl;
  if (databaseUrl === undefined) throw new Error("a PostgreSQL database is needed");
  let oms: ServiceProcess | undefined;
  try {
    oms = await startOms(world, {
      databaseUrl,
      workers: 2,
      port: await getFreePort(),
      entry: options.entry,
      name: "oms-pgfaults",
      // The submitters outpace the chain on purpose (a backlog of hundreds), and every refusal here must be
      // the store's 503: the in-flight bound's 429 is not what this run is about.
      env: { OMS_MAX_IN_FLIGHT_PER_VAULT: "0" },
    });
    const omsProcess = oms;
    let hasExited = false;
    omsProcess.proc.child.once("exit", () => {
      hasExited = true;
    });
    await grantSessionKey(world, omsProcess.url, vault);
    const load = startSubmitters({
      url: () => omsProcess.url,
      token: await world.token(vault.primary_manager),
      vault,
      count: options.submitters ?? 4,
      gapMs: 20,
      timeoutMs: 10_000,
    });

    const handle = await database.open();
    const completedCount = async (): Promise<number> => {
      for (let attempt = 1; ; attempt++) {
        try {
          const row = await handle.db
            .selectFrom("intents")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("state", "=", "COMPLETED")
            .executeTakeFirstOrThrow();
          return Number(row.n);
        } catch (error) {
          // Our own reader loses its connection during a restart too; the pool reconnects. Anything
          // that outlasts a restart by far is a real failure.
          if (!isConnectionLoss(error) || attempt >= 50) throw error;
          await sleep(200);
        }
      }
    };
    const windows: PgFaultReport["windows"] = [];
    const measure = async (name: string, during: () => Promise<void>) => {
      const before = await completedCount();
      const at = performance.now();
      await during();
      const seconds = (performance.now() - at) / 1000;
      const completed = (await completedCount()) - before;
      windows.push({ name, seconds, completed, perSecond: completed / seconds });
      log(
        `  ${name}: ${completed} intents COMPLETED in ${seconds.toFixed(1)} s (${(completed / seconds).toFixed(1)}/s)`,
      );
    };

    await sleep(2_000); // warm-up: the engine reaches its steady rate
    await measure("before", () => sleep(windowSeconds * 1000));
    let terminatedSessions = 0;
    await measure("backends killed every second", async () => {
      for (let second = 0; second < faultSeconds; second++) {
        terminatedSessions += await terminateSessions(databaseUrl);
        await sleep(1_000);
      }
    });
    await measure("after killed backends", () => sleep(windowSeconds * 1000));
    if (options.restart) {
      await measure("PostgreSQL restarting", async () => {
        restartPostgres();
        await sleep(2_000);
      });
      await measure("after restart", () => sleep(windowSeconds * 1000));
    }
    await load.stop();

    // Drain: the last acknowledged intents finish.
    await waitUntilDrained(handle, 60_000);
    const omsSurvived = !hasExited;
    await omsProcess.stop();
    oms = undefined;
    const report = await checkInvariants(handle, world.rpcUrl, load.acknowledged);
    const before = windows[0]?.perSecond ?? 0;
    const after = windows.filter((w) => w.name.startsWith("after"));
    const recovered = before > 0 && after.every((w) => w.perSecond >= before / 2);
    return {
      ...report,
      windows,
      acknowledged: load.acknowledged.length,
      refused: load.refused,
      terminatedSessions,
      omsSurvived,
      recovered,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await oms?.stop();
    await database.drop();
  }
}

/** Ends every session on the OMS database (not our own); returns how many. */
async function terminateSessions(databaseUrl: string): Promise<number> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const result = await client.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [name],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** `pg_ctlcluster <version> main restart` (fast shutdown: sessions are ended, the server comes back). */
function restartPostgres(): void {
  const version = readdirSync("/etc/postgresql")[0];
  if (version === undefined) throw new Error("no PostgreSQL cluster under /etc/postgresql");
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"], {
    stdio: "inherit",
  });
}
