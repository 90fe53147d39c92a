import path from "node:path";
import type { Dialect } from "../../oms/store/db";
import { startBaseline } from "./lib/children";
import { withCpu } from "./lib/cpu";
import { createBenchDatabase } from "./lib/database";
import { depositRequest } from "./lib/intents";
import { type LoadOptions, runLoad } from "./lib/load";
import { startOms } from "./lib/oms";
import { record, round, section } from "./lib/report";
import { rssMiB, sampleRss } from "./lib/rss";
import type { World } from "./lib/world";

export interface SubmitPathOptions {
  seconds: number;
  connections: number;
  dialects: readonly Dialect[];
}

const TARGET_RPS = 1_000;
const TARGET_P99_MS = 50;

/** Accepted ids that are missing from the intents table, or lack their INTENT_RECEIVED event. */
async function missingIds(
  open: () => Promise<import("../../oms/store/db").Db>,
  ids: readonly string[],
): Promise<number> {
  const handle = await open();
  try {
    let found = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const row = await handle.db
        .selectFrom("intent_events")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("intent_id", "in", chunk)
        .where("seq_num", "=", 1)
        .where("message_type", "=", "INTENT_RECEIVED")
        .executeTakeFirstOrThrow();
      const intents = await handle.db
        .selectFrom("intents")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("id", "in", chunk)
        .executeTakeFirstOrThrow();
      found += Math.min(Number(row.n), Number(intents.n));
    }
    return ids.length - found;
  } finally {
    await handle.close();
  }
}

/**
 * POST /defix/intents at `connections` connections with a distinct config per request (nothing is
 * deduplicated), engine off (OMS_WORKERS=0) so the figure is the API + store write path. Every 201's
 * id is then looked up in the database. OMS RSS is sampled at rest and during the load.
 */
export async function benchSubmitPath(world: World, options: SubmitPathOptions): Promise<void> {
  section(`submit path: ${options.connections} connections, ${options.seconds} s per run, engine off`);
  const vault = world.manifest.vaults[0];
  if (!vault) throw new Error("the world has no vault");
  const headers = {
    authorization: `Bearer ${await world.token(vault.primary_manager)}`,
    "content-type": "application/json",
  };
  let seq = Date.now();
  const submitLoad = (url: string, onCreated: (id: string) => void): LoadOptions => ({
    url: `${url}/defix/intents`,
    method: "POST",
    connections: options.connections,
    durationSec: options.seconds,
    headers,
    body: JSON.stringify(depositRequest(vault, 0)),
    setupRequest: (request) => ({ ...request, body: JSON.stringify(depositRequest(vault, seq++)) }),
    onResponse: (status, body) => {
      if (status === 201) onCreated((JSON.parse(body) as { id: string }).id);
    },
  });

  const baseline = await startBaseline(path.join(world.dataDir, "logs"));
  const base = await runLoad({
    ...submitLoad(baseline.url, () => undefined),
    durationSec: Math.min(options.seconds, 5),
  });
  await baseline.stop();
  record({
    name: "baseline node:http POST (same bodies)",
    value: base.rps,
    unit: "req/s",
    note: `p50 ${base.p50} ms, p99 ${base.p99} ms`,
  });

  // The figure is unbounded (as measured since the first round). PostgreSQL also runs the default path, the
  // per-vault bound checked on every submit (advisory lock + live count), with a bound the run never reaches: the
  // engine is off, so nothing finishes and a bound of 200 would refuse all but the first 200.
  const cases = options.dialects.flatMap((dialect): { dialect: Dialect; isBounded: boolean }[] =>
    dialect === "postgres"
      ? [
          { dialect, isBounded: false },
          { dialect, isBounded: true },
        ]
      : [{ dialect, isBounded: false }],
  );
  for (const { dialect, isBounded } of cases) {
    const database = await createBenchDatabase(dialect, world.dataDir, "bench_submit");
    try {
      const oms = await startOms(world, {
        databaseUrl: database.databaseUrl,
        workers: 0,
        env: { OMS_MAX_IN_FLIGHT_PER_VAULT: isBounded ? "1000000" : "0" },
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const atRest = rssMiB(oms.pid);
        const warm: string[] = [];
        await runLoad({ ...submitLoad(oms.url, (id) => warm.push(id)), amount: options.connections * 4 });
        const accepted: string[] = [];
        const rss = sampleRss(oms.pid);
        // CPU per submit of the OMS process: steadier than latency on a shared machine (PostgreSQL's own is not in it).
        const result = await withCpu(oms.pid, () => runLoad(submitLoad(oms.url, (id) => accepted.push(id))));
        const memory = rss.stop();
        const missing = await missingIds(() => database.open(), [...warm, ...accepted]);
        const rejected = result.total - accepted.length;
        const isMet = result.rps >= TARGET_RPS && result.p99 <= TARGET_P99_MS && missing === 0 && rejected === 0;
        record({
          name: `POST /defix/intents accepted (${dialect}${dialect === "sqlite" ? ", synchronous=FULL" : ""}${isBounded ? ", per-vault bound checked" : ""})`,
          value: accepted.length / result.durationSec,
          unit: "intents/s",
          ratio: result.rps / base.rps,
          target: dialect === "postgres" && !isBounded ? `≥ ${TARGET_RPS}/s and p99 ≤ ${TARGET_P99_MS} ms` : undefined,
          met: dialect === "postgres" && !isBounded ? isMet : undefined,
          note: `p50 ${result.p50} ms, p99 ${result.p99} ms, OMS CPU ${round(result.cpuUsPerRequest)} µs/submit, PostgreSQL CPU ${round(result.postgresUsPerRequest)} µs/submit, machine ${round(result.machineBusyPercent)} % busy, ${accepted.length} accepted, ${rejected} not accepted ${JSON.stringify(result.status)}, ${missing} accepted ids missing in DB`,
        });
        record({
          name: `OMS RSS (${dialect}${isBounded ? ", bounded" : ""})`,
          value: memory.maxMiB,
          unit: "MiB peak under submit load",
          note: `at rest ${round(atRest ?? 0)} MiB, mean under load ${round(memory.meanMiB)} MiB`,
        });
      } finally {
        await oms.stop();
      }
    } finally {
      await database.drop();
    }
  }
}
