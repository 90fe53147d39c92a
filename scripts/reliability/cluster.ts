import { randomUUID } from "node:crypto";
import type { VaultList } from "../../lib/defix/vaults";
import type { Db } from "../../oms/store/db";
import type { ServiceProcess } from "../bench/lib/children";
import { createBenchDatabase } from "../bench/lib/database";
import { startOms } from "../bench/lib/oms";
import type { World } from "../bench/lib/world";
import { getFreePort } from "../lib/anvil";
import { startRoundRobinProxy } from "../lib/round-robin-proxy";
import { type Dashboards, startDashboards } from "./cluster/dashboards";
import { type SignInTally, startSignIns } from "./cluster/sign-ins";
import { checkInvariants, type InvariantReport, waitUntilDrained } from "./lib/invariants";
import { grantSessionKey } from "./lib/session-key";
import { checkStream, type ReceivedEvent, type StreamCheck, startStreamClient } from "./lib/stream-client";
import { startSubmitters } from "./lib/submitters";

export interface ClusterOptions {
  /** The OMS entry to run (the esbuild bundle restarts in ~1.6 s). */
  entry: string;
  omsProcesses?: number;
  /** 0 skips the dashboards and the sign-in checks (the short form in `npm test`: no Next build there). */
  webInstances?: number;
  /** How long submit load, streams and kills run. */
  seconds: number;
  /** One OMS process is SIGKILLed (and restarted) about this often, in turn. */
  killEveryMs?: number;
  submitters?: number;
  redisUrl?: string;
  drainMs?: number;
  log?: (line: string) => void;
}

export interface ClusterReport extends InvariantReport {
  omsProcesses: number;
  webInstances: number;
  kills: number;
  meanRestartMs: number;
  acknowledged: number;
  unacknowledged: number;
  /** Unacknowledged submits by answer or client error (a process killed under the request, none live). */
  refused: Record<string, number>;
  streams: StreamCheck[];
  signIns: SignInTally | null;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `reliability -- cluster`: N OMS processes (and M dashboards) on one PostgreSQL scratch database and
 * one Redis (keys under a prefix of this run), submit load through a round-robin proxy, one
 * `/defix/stream` client pinned to each OMS process per manager, and one OMS process SIGKILLed and
 * restarted every few seconds. Then: every acknowledged intent is in the database and terminal exactly
 * once (the crash invariants), every stream client received every event of its vaults (reconnecting
 * with Last-Event-ID), in seq order per intent, and sign-ins kept working across dashboards.
 */
export async function clusterRun(world: World, options: ClusterOptions): Promise<ClusterReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const omsCount = options.omsProcesses ?? 3;
  const webCount = options.webInstances ?? 2;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `defix-cluster-${randomUUID().slice(0, 8)}:`;
  const vault = world.manifest.vaults[0];
  if (!vault) throw new Error("no vault deployed");
  const database = await createBenchDatabase("postgres", world.dataDir, "cluster");
  const ports = await Promise.all(Array.from({ length: omsCount + 1 + webCount }, () => getFreePort()));
  const omsPorts = ports.slice(0, omsCount);
  const proxyPort = ports[omsCount] ?? 0;
  const start = (i: number): Promise<ServiceProcess> =>
    startOms(world, {
      databaseUrl: database.databaseUrl,
      workers: 1,
      port: omsPorts[i],
      entry: options.entry,
      name: `oms-${i + 1}`,
      env: {
        REDIS_URL: redisUrl,
        OMS_REDIS_PREFIX: `${prefix}oms:`,
        // Limits on, shared through Redis, but sized above the load: what is checked is that they hold up.
        OMS_RATE_LIMIT: "on",
        OMS_SUBMIT_LIMIT_PER_MIN: "1000000",
        OMS_RATE_LIMIT_PER_MIN: "1000000",
        OMS_STREAMS_PER_IDENTITY: "1000",
        OMS_TRUST_PROXY: "1",
        // A killed process's claims lapse quickly, so its intents move on during the run.
        OMS_LEASE_MS: "3000",
      },
    });
  const oms = await Promise.all(omsPorts.map((_, i) => start(i)));
  const proxy = await startRoundRobinProxy({
    port: proxyPort,
    backends: oms.map((member) => member.url),
    healthPath: "/health",
    healthIntervalMs: 250,
  });
  let dashboards: Dashboards | null = null;
  try {
    if (webCount > 0) {
      dashboards = await startDashboards(world, {
        count: webCount,
        ports: ports.slice(omsCount + 1),
        omsUrl: proxy.url,
        redisUrl,
        redisPrefix: `${prefix}web:`,
        log,
      });
    }
    await grantSessionKey(world, proxy.url, vault);
    log(`  ${omsCount} OMS processes, ${webCount} dashboards up, session key granted (Redis prefix ${prefix})`);
    const managers = [...new Set(world.manifest.vaults.map((v) => v.primary_manager))];
    const tokens = new Map(await Promise.all(managers.map(async (m) => [m, await world.token(m)] as const)));
    const clients = oms.flatMap((member, i) =>
      managers.map((manager) =>
        startStreamClient({
          name: `oms-${i + 1}/${manager.slice(0, 8)}`,
          url: member.url,
          token: tokens.get(manager) ?? "",
          after: 0,
        }),
      ),
    );
    const load = startSubmitters({
      url: () => proxy.url,
      token: tokens.get(vault.primary_manager) ?? "",
      vault,
      count: options.submitters ?? 3,
      gapMs: 100,
      timeoutMs: 5_000,
      backoffMs: 50,
    });
    const signIns = dashboards
      ? startSignIns({
          dashboards: dashboards.urls,
          siweOrigin: dashboards.origin,
          chainId: world.manifest.chain_id,
          accounts: [1, 2],
          omsUrl: proxy.url,
          gapMs: 200,
        })
      : null;

    // Kills keep their pace whatever a restart takes: a process is restarted in the background, and
    // only killed again once it is back.
    const restartMs: number[] = [];
    const restarting = new Map<number, Promise<void>>();
    const restartFailures: string[] = [];
    const deadline = Date.now() + options.seconds * 1_000;
    const killEveryMs = options.killEveryMs ?? 3_000;
    for (let kill = 0; Date.now() < deadline; kill++) {
      await sleep(killEveryMs * (0.5 + Math.random()));
      const i = kill % omsCount;
      await restarting.get(i);
      await oms[i]?.kill();
      log(`  killed oms-${i + 1} (${kill + 1}), ${load.acknowledged.length} acknowledged so far`);
      const restartAt = performance.now();
      restarting.set(
        i,
        start(i).then(
          (member) => {
            oms[i] = member;
            restartMs.push(performance.now() - restartAt);
          },
          (error: unknown) => {
            restartFailures.push(`oms-${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
          },
        ),
      );
    }
    await Promise.all(restarting.values());
    if (restartFailures.length > 0) throw new Error(`an OMS process did not restart: ${restartFailures.join("; ")}`);
    await load.stop();
    await signIns?.stop();
    const handle = await database.open();
    log(`  drained in ${Math.round(await waitUntilDrained(handle, options.drainMs ?? 90_000))} ms`);
    const expected = await expectedEvents(handle, managers, tokens, proxy.url);
    const streams = await settleStreams(clients, expected);
    const report = await checkInvariants(handle, world.rpcUrl, load.acknowledged);
    return {
      ...report,
      omsProcesses: omsCount,
      webInstances: webCount,
      kills: restartMs.length,
      meanRestartMs: restartMs.reduce((a, b) => a + b, 0) / Math.max(1, restartMs.length),
      acknowledged: load.acknowledged.length,
      unacknowledged: load.refusedCount(),
      refused: load.refused,
      streams,
      signIns: signIns?.tally ?? null,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await dashboards?.stop();
    await proxy.close();
    await Promise.all(oms.map((member) => member.stop()));
    await database.drop();
  }
}

type Expected = Map<string, ReceivedEvent[]>;

/** Per manager: every stored event of the vaults its token may see (what each of its clients must receive). */
async function expectedEvents(
  handle: Db,
  managers: readonly string[],
  tokens: ReadonlyMap<string, string>,
  omsUrl: string,
): Promise<Expected> {
  const expected: Expected = new Map();
  for (const manager of managers) {
    const answer = await fetch(`${omsUrl}/defix/vaults`, {
      headers: { authorization: `Bearer ${tokens.get(manager)}` },
    });
    if (!answer.ok) throw new Error(`GET /defix/vaults answered ${answer.status}`);
    const vaults = ((await answer.json()) as VaultList).vaults.map((v) => v.vault_id);
    const rows = await handle.db
      .selectFrom("intent_events")
      .innerJoin("intents", "intents.id", "intent_events.intent_id")
      .select(["intent_events.event_id", "intent_events.intent_id", "intent_events.seq_num", "intent_events.position"])
      .where("intents.vault_id", "in", vaults.length ? vaults : [""])
      .orderBy("intent_events.position")
      .execute();
    expected.set(
      manager,
      rows.map((row) => ({ ...row, position: Number(row.position) })),
    );
  }
  return expected;
}

/** Gives every client up to 30 s to hold everything it should (a live process delivers in ms), then checks each. */
async function settleStreams(
  clients: ReturnType<typeof startStreamClient>[],
  expected: Expected,
): Promise<StreamCheck[]> {
  const wantedFor = (name: string) =>
    [...expected.entries()].find(([manager]) => name.endsWith(manager.slice(0, 8)))?.[1] ?? [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && clients.some((c) => checkStream(c, wantedFor(c.name)).missed > 0)) await sleep(250);
  const checks = clients.map((client) => checkStream(client, wantedFor(client.name)));
  await Promise.all(clients.map((client) => client.close()));
  return checks;
}
